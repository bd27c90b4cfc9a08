import { type ReactNode, useState } from "react";
import { Link, useRoute } from "wouter";
import { useSession, useSessionState } from "../auth/use-session.js";
import { useI18n } from "../i18n/i18n.js";
import { LanguageSwitch } from "./language-switch.js";

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [active] = useRoute(href === "/" ? "/" : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? "page" : undefined}>
      {children}
    </Link>
  );
}

function SignedInNav() {
  const { t } = useI18n();
  const session = useSession();
  const state = useSessionState();
  const [leaving, setLeaving] = useState(false);
  if (state.status !== "signedIn") return null;

  async function logout() {
    setLeaving(true);
    try {
      await session.logout();
    } finally {
      // This bar stays mounted while signed out: a login on this tab needs the button back.
      setLeaving(false);
    }
  }

  return (
    <>
      <nav aria-label={t.nav.label} className="nav">
        <NavLink href="/">{t.nav.home}</NavLink>
        <NavLink href="/history">{t.nav.history}</NavLink>
        {state.user.role === "admin" ? <NavLink href="/users">{t.nav.users}</NavLink> : null}
        <NavLink href="/profile">{t.nav.profile}</NavLink>
      </nav>
      <div className="account">
        <span className="who">{t.app.signedInAs(state.user.username)}</span>
        <button type="button" onClick={logout} disabled={leaving}>
          {t.nav.logout}
        </button>
      </div>
    </>
  );
}

/** The frame of every page: skip link, header with navigation, and the main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="header">
        <Link href="/" className="brand">
          {t.app.name}
        </Link>
        <SignedInNav />
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
