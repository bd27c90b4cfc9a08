import type { ReactNode } from "react";

/** An error the person must see: announced at once by screen readers. */
export function ErrorNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-error" role="alert">
      {children}
    </p>
  );
}

/** A success or information message: announced politely. */
export function StatusNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-info" role="status">
      {children}
    </p>
  );
}
