// Replica help-centre form: "Senden" replaces the form with a confirmation text (no network request).
(() => {
  'use strict';
  const form = document.getElementById('replica-form');
  const button = document.getElementById('replica-send');
  if (!form || !button) return;
  let done = false;
  function submit(e) {
    if (e) e.preventDefault();
    if (done) return;
    done = true;
    const status = document.createElement('div');
    status.setAttribute('role', 'status');
    status.id = 'replica-received';
    status.textContent = 'Replica: request received. Your objection will apply from now on; ' +
      'an email with details will follow.';
    form.replaceWith(status);
  }
  form.addEventListener('submit', submit);
  button.addEventListener('click', submit);
  button.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') submit(e); });
})();
