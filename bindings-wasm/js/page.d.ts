// Types of `ccpa-optout/page`, the page entry (hand-written; checked with `tsc` by scripts/test-js.sh).

import type { ErrorKind } from "./index.js";

/** The package's error kinds: the main entry's (a type only: nothing of it is loaded). */
export type { ErrorKind };

/**
 * What every function here rejects with: a real `Error` named `CcpaOptOutError`, as in the main
 * entry. `Config` for bad options (`field` names it), `Transport` when the receiver cannot be
 * reached (offline, a timeout, or an origin missing from its `--allow-origin`), the receiver's own
 * kind for its refusals (`Auth` for a bad or expired subject token, `RateLimited`, `Validation`),
 * `Decode` for an answer that is not JSON. The subject token never appears in it.
 */
export interface CcpaOptOutError extends Error {
  readonly name: "CcpaOptOutError";
  readonly kind: ErrorKind;
  /** The receiver's HTTP status, when it answered. */
  readonly status: number | null;
  /** The option or input at fault. */
  readonly field: string | null;
  /** Whether trying again later may succeed. */
  readonly retryable: boolean;
}

/** Whether `error` is a `CcpaOptOutError` (of this entry or the main one). */
export function isCcpaOptOutError(error: unknown): error is CcpaOptOutError;

/** The body of `POST /v1/signals`: only the signals present. */
export interface PageSignals {
  /** `navigator.globalPrivacyControl` (absent when the browser has none). */
  gpc?: boolean;
  /** The GPP string of the page's IAB CMP (`__gpp`). */
  gpp?: string;
  /** The US Privacy string of the page's CMP (`__uspapi`). */
  usp?: string;
}

/** One reason of the receiver's decision, e.g. `{kind: "signal", signal: "gpc", says: "opt_out"}`. */
export interface DecisionReason {
  kind: "signal" | "unreadable" | "conflict";
  signal?: string;
  says?: "opt_out" | "not_opted_out" | "no_signal";
  message?: string;
  opted_out?: string[];
  not_opted_out?: string[];
}

/** The receiver's decision: `value` true is an opt-out, `null` no usable signal. */
export interface Decision {
  value: boolean | null;
  reasons: DecisionReason[];
}

/** The receiver's answer to `POST /v1/signals`. */
export interface SignalsAnswer {
  /** Whether the signals are an opt-out that the receiver honours. */
  honored: boolean;
  decision: Decision;
  /** The stored request, with a subject token and an opt-out only. */
  id?: string;
  status?: OptOutStatus;
}

/** The status of a stored request (`GET /v1/opt-outs/{id}`). */
export type OptOutStatus = "queued" | "applying" | "retrying" | "applied" | "unchanged" | "not-found" | "rejected";

/** The receiver's view of a stored request (`GET /v1/opt-outs/{id}`); only the fields used here are typed. */
export interface OptOutView {
  id: string;
  status: OptOutStatus;
  optOut: boolean;
  receivedAt: string;
  dueDate: string;
  [field: string]: unknown;
}

/** What the element shows: `data-state` is the state, the text is `texts[state]`. */
export type PageState = "checking" | "honored" | "applied" | "none" | "error";

/** The texts of each state; every one can be replaced. */
export interface PageTexts {
  /** Default "Checking your privacy choices…". */
  checking: string;
  /** Default "Opt-Out Request Honored" (the receiver honours the signal; stored when a token was given). */
  honored: string;
  /** Default "Opt-Out Request Honored: you are opted out of the sale and sharing of your personal information" (applied in ACS, when polling). */
  applied: string;
  /** Default "No opt-out signal received". */
  none: string;
  /** Default "Your opt-out status cannot be shown right now" (the error itself is thrown). */
  error: string;
}

export interface ReadSignalsOptions {
  /** How long each CMP (`__gpp`, `__uspapi`) may take to answer, in ms. Default 500. */
  timeoutMs?: number;
}

export interface ReceiverOptions {
  /** The receiver's base URL, e.g. `"https://privacy.shop.example"`; this page's origin must be one of its `--allow-origin`s. */
  receiver: string;
  /** The visitor's subject token, minted by the site's backend (`mintSubjectToken`). Without one nothing is stored; the answer still says whether the signal is honoured. */
  token?: string | null;
  /** Time limit of each call to the receiver, in ms. Default 10,000. */
  requestTimeoutMs?: number;
}

export interface PollOptions {
  /** Between two reads of the status, in ms. Default 1,000. */
  intervalMs?: number;
  /** Stop reading after this long, in ms, even if the request is not settled. Default 60,000. */
  maxWaitMs?: number;
}

export interface ShowOptions extends ReceiverOptions, ReadSignalsOptions {
  /** Where the status goes: a selector or an element. Its text is replaced; `data-state` says which state. */
  element: string | Element;
  /** The site's "opted out" switch (a checkbox or a `role="switch"` element), set checked when the opt-out is honoured and never unset. */
  toggle?: string | Element | null;
  /** Texts to use instead of the defaults. */
  texts?: Partial<PageTexts>;
  /** With a token: read `GET /v1/opt-outs/{id}` until the request is settled, then show `applied`. Off by default. */
  poll?: boolean | PollOptions;
}

export interface ShowResult {
  /** The state the element shows now. */
  state: Exclude<PageState, "checking" | "error">;
  honored: boolean;
  decision: Decision;
  /** The stored request, when one was stored. */
  id: string | null;
  /** Its last known status. */
  status: OptOutStatus | null;
  /** What was sent. */
  signals: PageSignals;
  /** The CMP functions present on the page that did not answer within `timeoutMs`. */
  unanswered: Array<"gpp" | "usp">;
  /** Why polling stopped early (the honoured state stays shown). */
  error: CcpaOptOutError | null;
}

/**
 * Reads the signals: `navigator.globalPrivacyControl`, and when the page has an IAB CMP, its GPP
 * string (`__gpp('ping')`, GPP CMP API v1.1, waiting for `signalStatus` "ready"; `getGPPData` for
 * v1.0 CMPs) and US Privacy string (`__uspapi('getUSPData', 1)`), each within `timeoutMs`.
 * Never rejects: a CMP that throws or does not answer is left out.
 */
export function readSignals(options?: ReadSignalsOptions): Promise<{ signals: PageSignals; unanswered: Array<"gpp" | "usp"> }>;

/** `POST /v1/signals` with the signals and the subject token. @throws {CcpaOptOutError} */
export function sendSignals(options: ReceiverOptions & { signals?: PageSignals }): Promise<SignalsAnswer>;

/** `GET /v1/opt-outs/{id}` (with the subject token of that subject) until settled or `maxWaitMs`. @throws {CcpaOptOutError} */
export function pollStatus(options: ReceiverOptions & PollOptions & { id: string }): Promise<OptOutView>;

/**
 * All of it: shows `checking`, reads the signals, posts them, shows `honored` or `none` (and,
 * with `poll`, `applied` once ACS has the opt-out). On an error the element shows the neutral
 * `error` text and the promise rejects with the typed error.
 * @throws {CcpaOptOutError}
 */
export function showOptOutStatus(options: ShowOptions): Promise<ShowResult>;
