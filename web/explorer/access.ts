// What the page says when the API refuses it: App Service Authentication's sign-in for a 401, the
// app role to ask for on a 403 (docs/explorer.md "Sign-in and roles").
import { ApiError } from "./api.js";
import { h } from "./dom.js";

/** App Service Authentication's sign-in address, back to where the user was. */
export function signInUrl(here: Location = location): string {
  return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(`${here.pathname}${here.search}${here.hash}`)}`;
}

/** The message for a refused call (401 or 403), or undefined for any other failure. */
export function accessMessage(error: unknown, needs: "reader" | "operator" = "reader"): HTMLElement | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 401) {
    return h(
      "div",
      { class: "access", role: "alert", "data-status": "401" },
      h(
        "p",
        {},
        "You are not signed in, or your sign-in has expired. ",
        h("a", { href: signInUrl() }, "Sign in"),
        " with your Microsoft Entra account to use the explorer.",
      ),
    );
  }
  if (error.status === 403) {
    const role =
      needs === "operator"
        ? "the TopDeck operator role (TopDeck.Operator)"
        : "the TopDeck reader role (TopDeck.Reader) or the operator role (TopDeck.Operator)";
    return h(
      "div",
      { class: "access", role: "alert", "data-status": "403" },
      h("p", {}, `You are signed in, but you need ${role} for this. Ask an owner of the TopDeck app registration to assign it to you.`),
      h("p", {}, h("small", {}, error.message)),
    );
  }
  return undefined;
}
