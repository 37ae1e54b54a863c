/** What a view gets: where to draw, the hash's parameters, and whether it is still the current view. */
export interface ViewContext {
  root: HTMLElement;
  params: URLSearchParams;
  /** False once the user has moved to another view (polls and late answers stop). */
  current: () => boolean;
  /** Goes to another view. */
  go: (hash: string) => void;
}

/** A view: draws itself into `ctx.root`. */
export type View = (ctx: ViewContext) => Promise<void>;
