/**
 * Field limits and link formats that pages show beside the schemas that enforce them. Free of Zod, so
 * that a page which only renders a limit or a link downloads no validation library.
 */

export const passwordMinLength = 12;
export const passwordMaxLength = 128;

export const checkInTextMax = 2000;
export const replyMessageMax = 500;

/** The most earlier check-ins offered at once to share with a newly approved supporter, newest first. */
export const earlierCheckInsLimit = 50;

/** An "Older" link's position in a list of check-ins: the last entry's time and id, no patient data. */
export const cursorParam = (cursor: { at: number; id: string } | null) => (cursor ? `${cursor.at}_${cursor.id}` : null);

export const caseloadNameMax = 100;

export const reflectionMaxLength = 5_000;

export const maxInvitees = 20;
export const minSessionMinutes = 15;
export const maxSessionMinutes = 480;
