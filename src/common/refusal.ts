/**
 * A refusal the service expected, named by its reason code (recorded as is). Each family of
 * reasons is its own subclass, so the edge maps a family to its HTTP answer in one place.
 */
export abstract class Refusal<Reason extends string> extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
