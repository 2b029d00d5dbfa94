// Generated from the Rust types in src/protocol.rs by `UPDATE_TYPEDEFS=1 cargo test protocol_typedefs`;
// do not edit. The extension's scripts use these through JSDoc (`// @ts-check`).

export type ActionView = { action: PanelAction, text: string, };

export type AddGroupView = { hint: string, label: string, button: string, max_length: number, };

export type ButtonView = { text: string, label: string, };

export type ChecklistAction = "open_form" | "mark_submitted" | "mark_confirmed" | "reset";

export type ChecklistClicked = { group: string, platform: PlatformId, action: ChecklistAction, };

export type ControlFind = "label" | "ask";

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

export type ItemClicked = { service: string, item: string, action: ServiceAction, };

export type ItemState = SettingState | Status;

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

export type PanelAction = "open_form" | "already_done" | "not_now" | "link_broken" | "close" | "sent_for_facebook" | "sent_for_instagram" | "dismiss_question" | "confirm_off";

export type PanelClicked = { url: string, action: PanelAction, };

export type PanelKind = "banner" | "form_helper" | "setting_helper";

export type PanelView = { kind: PanelKind, 
/**
 * Meta's platform (`facebook`), or the service (`linkedin`).
 */
platform: string, 
/**
 * The service's item the panel is about (`ai_setting`); `null` for Meta's panels.
 */
item: string | null, urging: boolean, lang: string, 
/**
 * Accessible name of the panel region.
 */
label: string, paragraphs: Array<string>, link: LinkView | null, steps_title: string, steps: Array<string>, 
/**
 * After the steps; empty for none.
 */
footnote: string, reasons: Array<ReasonView>, actions: Array<ActionView>, watch: WatchView | null, 
/**
 * On a service's setting page: how `content/setting.js` finds the control and reads it. `null`
 * everywhere else.
 */
setting: SettingView | null, };

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
add_group: AddGroupView | null, scope: string, who_else: WhoElseView, 
/**
 * The heading of the list of services.
 */
services_title: string, 
/**
 * Meta first (always on), then every other service with its switch and, while chosen, its items.
 */
services: Array<ServiceView>, };

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

export type Request = { "type": "page_shown" } & PageShown | { "type": "panel_clicked" } & PanelClicked | { "type": "form_signal" } & FormSignalled | { "type": "get_checklist" } & GetChecklist | { "type": "checklist_clicked" } & ChecklistClicked | { "type": "group_add" } & GroupAdd | { "type": "group_remove" } & GroupRemove | { "type": "group_linked" } & GroupLinked | { "type": "group_active" } & GroupActive | { "type": "question_answered" } & QuestionAnswered | { "type": "question_dismissed" } & QuestionDismissed | { "type": "setting_seen" } & SettingSeen | { "type": "service_chosen" } & ServiceChosen | { "type": "item_clicked" } & ItemClicked;

export type SeenState = "on" | "off" | "missing";

export type ServiceAction = "open" | "mark_submitted" | "mark_confirmed" | "confirm_off" | "reset";

export type ServiceActionView = { action: ServiceAction, text: string, 
/**
 * What a screen reader hears: item and action.
 */
label: string, };

export type ServiceChosen = { service: string, chosen: boolean, };

export type ServiceItemKind = "setting" | "objection_request";

export type ServiceItemView = { id: string, kind: ServiceItemKind, name: string, state: ItemState, state_text: string, 
/**
 * The one link that gets the user there.
 */
link: LinkView, 
/**
 * What the objection covers, and what it does not, in one sentence each.
 */
covers: string, not_covered: string, actions: Array<ServiceActionView>, };

export type ServiceView = { id: string, name: string, 
/**
 * Meta: always on; its switch is shown checked and disabled.
 */
always: boolean, chosen: boolean, 
/**
 * Its hosts are granted (when chosen but not: `note` says why nothing happens there yet).
 */
access: boolean, 
/**
 * For `permissions.request` / `permissions.remove`, in the same task as the click.
 */
origins: Array<string>, 
/**
 * The switch's accessible label.
 */
toggle_label: string, 
/**
 * Chosen but not granted: why nothing happens there yet. `null` otherwise.
 */
note: string | null, 
/**
 * Chosen but not granted: the button that asks the browser again (`permissions.request` with
 * `origins`, in the click's task). `null` otherwise.
 */
grant: string | null, 
/**
 * The switch cannot be changed (Meta, or a choice saved by a newer Widerspruch).
 */
locked: boolean, items: Array<ServiceItemView>, };

export type SettingSeen = { url: string, state: SeenState, };

export type SettingState = "not_checked" | "on" | "off" | "user_off";

export type SettingView = { 
/**
 * Roles of the control: `switch`, `checkbox` (role or `input[type=checkbox]`).
 */
roles: Array<string>, 
/**
 * Normalised fragments of its accessible name (lower case, straight apostrophes, single spaces),
 * every language's: the service may show a language other than the browser's.
 */
labels: Array<string>, find: ControlFind, 
/**
 * What this page reported last (`on`, `off`, `missing`), or `unknown` before it reported.
 */
state: string, };

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

