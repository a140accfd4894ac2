import { useEffect, type MouseEvent } from "react";
import { useT } from "~/i18n/i18n";

/** Shift pressed this many times, with no other key between, inside the window, leaves the page. */
const shortcutPresses = 3;
const shortcutWindowMs = 5_000;

/**
 * Hides the page at once (the neutral site may take a moment to load), signs out in the background
 * and puts the neutral site in place of this page in the history, so Back does not bring it back.
 */
function leaveNow(neutralUrl: string) {
  document.body.hidden = true;
  navigator.sendBeacon("/leave");
  window.location.replace(neutralUrl);
}

/**
 * "Leave quickly" (decision 021): on every signed-in page, a control and a keyboard shortcut. The
 * shortcut is Shift three times, as GOV.UK's "Exit this page": it never clashes with Escape, which
 * closes dialogs, nor with typing. Without JavaScript the control is a plain link to /leave.
 */
export function LeaveQuickly({ neutralUrl }: { neutralUrl: string }) {
  const t = useT();
  useEffect(() => {
    let presses: number[] = [];
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Shift") {
        presses = [];
        return;
      }
      if (event.repeat) return;
      presses = [...presses.filter((time) => event.timeStamp - time < shortcutWindowMs), event.timeStamp];
      if (presses.length >= shortcutPresses) leaveNow(neutralUrl);
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [neutralUrl]);
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    leaveNow(neutralUrl);
  }
  return (
    <p className="leave-quickly">
      <a href="/leave" className="leave-quickly__link" onClick={onClick} aria-describedby="leave-quickly-shortcut">
        {t("leave.label")}
      </a>
      <span id="leave-quickly-shortcut" className="visually-hidden">
        {t("leave.shortcut")}
      </span>
    </p>
  );
}
