import { lazy, type ReactNode, Suspense, useEffect, useRef } from "react";
import { Route, Switch, useLocation } from "wouter";
import { ErrorBoundary } from "./components/error-boundary.js";
import { Layout } from "./components/layout.js";
import { Loading } from "./components/loading.js";
import { RequireAuth } from "./components/require-auth.js";
import { HomePage } from "./pages/home.js";
import { LoginPage } from "./pages/login.js";
import { NotFoundPage } from "./pages/not-found.js";

// Pages past the first screen load on demand, keeping the initial script small.
const CheckoutPage = lazy(() => import("./pages/checkout.js"));
const HistoryPage = lazy(() => import("./pages/history.js"));
const UsersPage = lazy(() => import("./pages/users.js"));
const AddUserPage = lazy(() => import("./pages/add-user.js"));
const ProfilePage = lazy(() => import("./pages/profile.js"));

function Private({ children, admin }: { children: ReactNode; admin?: boolean }) {
  return <RequireAuth admin={admin}>{children}</RequireAuth>;
}

/** Moves focus to the new page's content after client-side navigation, as a page load would. */
function useFocusOnNavigate(): string {
  const [location] = useLocation();
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    document.getElementById("main")?.focus({ preventScroll: false });
  }, [location]);
  return location;
}

export function App() {
  const location = useFocusOnNavigate();
  return (
    <Layout>
      <ErrorBoundary key={location}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/login" component={LoginPage} />
            <Route path="/">
              <Private>
                <HomePage />
              </Private>
            </Route>
            <Route path="/checkout/:orderId">
              {(params) => (
                <Private>
                  <CheckoutPage orderId={params.orderId} />
                </Private>
              )}
            </Route>
            <Route path="/history">
              <Private>
                <HistoryPage />
              </Private>
            </Route>
            <Route path="/users">
              <Private admin>
                <UsersPage />
              </Private>
            </Route>
            <Route path="/users/new">
              <Private admin>
                <AddUserPage />
              </Private>
            </Route>
            <Route path="/profile">
              <Private>
                <ProfilePage />
              </Private>
            </Route>
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}
