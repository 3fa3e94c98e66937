/** @jsxRuntime automatic @jsxImportSource preact */
// Enter in a form with the CPV picker. A browser's implicit submission (Enter
// in a text field) clicks the form's first submit button, which would be the
// picker's search button: the form would never be sent. These forms start with
// a default button instead: the form's main action, out of sight, out of the
// tab order and hidden from assistive technology (the visible button at the
// end stays the one people use).
//
// Without JavaScript, Enter in the picker's own search field also lands here;
// a search typed since the page was drawn (`cpvq` differs from `cpvqShown`)
// is then taken as the search it was meant to be, and the form comes back
// with every value kept. With the script, Enter in that field searches on the
// spot and never submits, so the marker (`nojs`, sent only from <noscript>) is
// absent and Enter anywhere else sends the form even after a live search.
import type { ComponentChildren } from 'preact';
import { isPickerAction, PICKER_QUERY } from '../components/cpv-picker.tsx';
import { one } from '../form-post.ts';

const DEFAULT = 'enter';
const SHOWN = 'cpvqShown';
const NO_SCRIPT = 'nojs';

/** The first thing in a form with the picker: the default button, and what the server needs to read Enter right. */
export function DefaultSubmit({ children, query }: { children: ComponentChildren; query: string }) {
  return (
    <>
      <button type="submit" name={DEFAULT} value="1" class="visually-hidden" tabIndex={-1} aria-hidden="true">{children}</button>
      <input type="hidden" name={SHOWN} value={query} />
      <noscript><input type="hidden" name={NO_SCRIPT} value="1" /></noscript>
    </>
  );
}

/** A post that should show the form again rather than act: the picker's buttons, or Enter in its search field without JavaScript. */
export function isPickerPost(body: Record<string, unknown>): boolean {
  if (isPickerAction(body)) return true;
  const enter = one(body[DEFAULT]) === '1' && one(body[NO_SCRIPT]) === '1';
  return enter && one(body[PICKER_QUERY]) !== one(body[SHOWN]);
}
