/**
 * A rule of the domain refused what a form asked (an overlap, a date in the past): the message key is
 * shown at the named field, and nothing was saved.
 */
export class FieldRuleError extends Error {
  constructor(
    readonly field: string,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}
