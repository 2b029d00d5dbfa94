// Generated from the Rust types in src/protocol.rs by `UPDATE_TYPEDEFS=1 cargo test protocol_typedefs`;
// do not edit. The extension's scripts use these through JSDoc (`// @ts-check`).

export type ActionView = { action: PanelAction, text: string, };

export type AddGroupView = { hint: string, label: string, button: string, max_length: number, };

export type ButtonView = { text: string, label: string, };

export type ChecklistAction = "open_form" | "mark_submitted" | "mark_confirmed" | "reset";

export type ChecklistClicked = { group: string, platform: PlatformId, action: ChecklistAction, };

export type FormSignal = "received" | "unavailable" | "login";

export type FormSignalled = { url: string, signal: FormSignal, };

export type GetChecklist = Record<symbol, never>;

export type GroupActive = { group: string, };

export type GroupAdd = { name: string, };

export type GroupLinked = { group: string, linked: boolean, };

export type GroupPanel = { id: string, name: string, 
/**
 * The main group's list is `#checklist`, the one tests and the badge's users look for first.
 */
main: boolean, 
/**
 * "Active": which group a Meta page counts for; only offered when there are several.
 */
active: ToggleView | null, 
/**
 * "These accounts share one Accounts Center": one objection covers both platforms.
 */
linked: ToggleView | null, items: Array<ItemView>, remove: ButtonView | null, 
/**
 * The unanswered question about an objection sent in Meta's Privacy Center.
 */
question: QuestionView | null, };

export type GroupRemove = { group: string, };

export type ItemAction = { action: ChecklistAction, text: string, 
/**
 * What a screen reader hears: platform, group and action.
 */
label: string, };

export type ItemView = { platform: PlatformId, name: string, 
/**
 * `not_started` … `confirmed` (styling and tests), and the same in words.
 */
state: Status, state_text: string, 
/**
 * Covered by the other platform's objection: this note instead of actions. Empty for none.
 */
covered: string, 
/**
 * What else this objection covers (Instagram's covers Threads). Empty for none.
 */
also: string, 
/**
 * The gentle reminder to look for the confirmation email. Empty for none.
 */
remind: string, link: LinkView | null, actions: Array<ItemAction>, };

export type LinkView = { text: string, href: string, };

export type PageShown = { url: string, };

export type PanelAction = "open_form" | "already_done" | "not_now" | "link_broken" | "close" | "sent_for_facebook" | "sent_for_instagram" | "dismiss_question";

export type PanelClicked = { url: string, action: PanelAction, };

export type PanelKind = "banner" | "form_helper";

export type PanelView = { kind: PanelKind, platform: PlatformId, urging: boolean, lang: string, 
/**
 * Accessible name of the panel region.
 */
label: string, paragraphs: Array<string>, link: LinkView | null, steps_title: string, steps: Array<string>, 
/**
 * After the steps; empty for none.
 */
footnote: string, reasons: Array<ReasonView>, actions: Array<ActionView>, watch: WatchView | null, };

export type PlatformId = "facebook" | "instagram";

export type PopupView = { lang: string, title: string, 
/**
 * What is still open, in one sentence (announced as a status).
 */
summary: string, 
/**
 * The honest sentence about what an objection now can and cannot do.
 */
timing: string, groups: Array<GroupPanel>, 
/**
 * `None` while the stored data came from a newer Widerspruch: shown, never changed.
 */
add_group: AddGroupView | null, scope: string, who_else: WhoElseView, };

export type QuestionAnswer = { platform: PlatformId, text: string, label: string, preselected: boolean, };

export type QuestionAnswered = { group: string, platform: PlatformId, };

export type QuestionDismissed = { group: string, };

export type QuestionView = { text: string, 
/**
 * Why one answer comes first (the user followed its form link). Empty for none.
 */
followed: string, 
/**
 * Nothing is marked until answered.
 */
note: string, 
/**
 * One per platform, the preselected first; none while the data is read-only.
 */
answers: Array<QuestionAnswer>, dismiss: ButtonView | null, };

export type ReasonView = { label: string, text: string, };

export type Reply = { "type": "show_panel", panel: PanelView, } | { "type": "no_panel" } | { "type": "checklist", checklist: PopupView, } | { "type": "done" } | { "type": "rejected", reason: string, };

export type Request = { "type": "page_shown" } & PageShown | { "type": "panel_clicked" } & PanelClicked | { "type": "form_signal" } & FormSignalled | { "type": "get_checklist" } & GetChecklist | { "type": "checklist_clicked" } & ChecklistClicked | { "type": "group_add" } & GroupAdd | { "type": "group_remove" } & GroupRemove | { "type": "group_linked" } & GroupLinked | { "type": "group_active" } & GroupActive | { "type": "question_answered" } & QuestionAnswered | { "type": "question_dismissed" } & QuestionDismissed;

export type SignalWhen = "answer" | "load";

export type Status = "not_started" | "form_opened" | "submitted" | "confirmed";

export type ToggleView = { label: string, checked: boolean, };

export type WatchView = { signals: Array<WatchedSignal>, 
/**
 * CSS selector of the form's area (the rules' `form_area`): an answer counts only where it was.
 */
form_area: string, reason_field: string, };

export type WatchedSignal = { signal: FormSignal, when: SignalWhen, fragments: Array<string>, };

export type WhoElseView = { title: string, third_party: string, third_party_link: LinkView, pages: string, whatsapp: string, };

