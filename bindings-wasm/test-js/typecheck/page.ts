// Uses the page entry's declared types the way a site would; `tsc --noEmit` must accept it, and
// every `@ts-expect-error` line must really be an error.
import {
  isCcpaOptOutError,
  pollStatus,
  readSignals,
  sendSignals,
  showOptOutStatus,
  type CcpaOptOutError,
  type PageState,
  type ShowResult,
} from 'ccpa-optout/page';
import { isCcpaOptOutError as isMainError } from 'ccpa-optout';

export async function privacyPage(token: string | null): Promise<ShowResult | CcpaOptOutError> {
  try {
    return await showOptOutStatus({
      receiver: 'https://privacy.shop.example',
      token,
      element: '#opt-out-status',
      toggle: document.querySelector('#do-not-sell'),
      texts: { honored: 'Opt-out honoured', none: 'No signal' },
      timeoutMs: 300,
      poll: { intervalMs: 500, maxWaitMs: 10_000 },
    });
  } catch (error) {
    if (isCcpaOptOutError(error) && isMainError(error)) return error;
    throw error;
  }
}

export async function piecesOneByOne(): Promise<boolean> {
  const { signals, unanswered } = await readSignals({ timeoutMs: 200 });
  const gpp: string | undefined = signals.gpp;
  const missed: Array<'gpp' | 'usp'> = unanswered;
  const answer = await sendSignals({ receiver: 'https://privacy.shop.example', signals });
  if (answer.id) {
    const view = await pollStatus({ receiver: 'https://privacy.shop.example', token: 't', id: answer.id });
    const settled: boolean = view.status === 'applied';
    return settled;
  }
  const state: PageState = answer.honored ? 'honored' : 'none';
  return gpp !== undefined && missed.length === 0 && state === 'honored' && answer.decision.value === true;
}

// @ts-expect-error: an element is required
void showOptOutStatus({ receiver: 'https://privacy.shop.example' });
// @ts-expect-error: no such text
void showOptOutStatus({ receiver: 'x', element: '#s', texts: { honoured: 'x' } });
// @ts-expect-error: the token is a string
void sendSignals({ receiver: 'x', token: 42 });
