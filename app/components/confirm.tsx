import { Form, Link } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useT } from "~/i18n/i18n";

/**
 * One way to confirm an action that cannot be undone. The trigger is a link to a confirmation page
 * (the route renders `ConfirmationPage` when the URL says `?confirm=<intent>`, or a route of its own),
 * which holds the real form: so it works without JavaScript. Once the page runs JavaScript, the same
 * confirmation opens in a native dialog and posts the same form. Nothing happens until it is confirmed.
 */
export type Confirmation = {
  title: string;
  /** What will happen, in full: the page and the dialog say the same. */
  body: ReactNode;
  /** Where the form posts; keep `?confirm=<intent>` in it so that a mistake comes back as the page. */
  action: string;
  intent: string;
  confirmLabel: string;
  /** Fields the action needs (a reason, a colleague), shown between the explanation and the buttons. */
  fields?: ReactNode;
};

function ConfirmForm({ confirmation, cancel }: { confirmation: Confirmation; cancel: ReactNode }) {
  return (
    <Form method="post" action={confirmation.action} className="stack">
      <div className="stack">{confirmation.body}</div>
      {confirmation.fields}
      <div className="actions">
        <button type="submit" name="intent" value={confirmation.intent} className="button button--danger">
          {confirmation.confirmLabel}
        </button>
        {cancel}
      </div>
    </Form>
  );
}

/** The confirmation as a page of its own: where the trigger leads without JavaScript. */
export function ConfirmationPage({ confirmation, cancelTo }: { confirmation: Confirmation; cancelTo: string }) {
  const t = useT();
  return (
    <div className="page">
      <h1>{confirmation.title}</h1>
      <ConfirmForm
        confirmation={confirmation}
        cancel={
          <Link className="button button--secondary" to={cancelTo}>
            {t("confirm.cancel")}
          </Link>
        }
      />
    </div>
  );
}

/** True once React runs in the browser: before that (and without JavaScript) the page must work as HTML. */
function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * The button that asks for confirmation: a link to the confirmation page `to`, or, with JavaScript,
 * a button opening a modal dialog (focus moves into it, Escape closes it, focus comes back here).
 */
export function ConfirmTrigger({ label, to, confirmation }: { label: ReactNode; to: string; confirmation: Confirmation }) {
  const t = useT();
  const hydrated = useHydrated();
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  if (!hydrated) {
    return (
      <Link className="button button--secondary" to={to}>
        {label}
      </Link>
    );
  }
  return (
    <>
      <button
        type="button"
        ref={trigger}
        className="button button--secondary"
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={titleId} onClose={() => trigger.current?.focus()}>
        <h2 id={titleId}>{confirmation.title}</h2>
        <ConfirmForm
          confirmation={confirmation}
          cancel={
            <button type="button" className="button button--secondary" onClick={() => dialog.current?.close()}>
              {t("confirm.cancel")}
            </button>
          }
        />
      </dialog>
    </>
  );
}
