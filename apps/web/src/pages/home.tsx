import { useQuery } from "@tanstack/react-query";
import { useUser } from "../auth/use-session.js";
import { Loading } from "../components/loading.js";
import { ErrorNotice } from "../components/notice.js";
import { useI18n } from "../i18n/i18n.js";
import { errorText } from "../lib/errors.js";
import { useTRPC } from "../lib/trpc.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { BreakerCard } from "./home/breaker-card.js";
import { HealthCard } from "./home/health-card.js";
import { ProductCard } from "./home/product-card.js";

export function HomePage() {
  const { t } = useI18n();
  useDocumentTitle(t.nav.home);
  const user = useUser();
  const trpc = useTRPC();
  const products = useQuery(trpc.orders.products.queryOptions());
  return (
    <div className="page home">
      <h1>{t.home.welcome(user.username)}</h1>
      <div className="columns">
        <section aria-labelledby="catalog-title" className="catalog">
          <h2 id="catalog-title">{t.home.catalog}</h2>
          {products.isPending ? <Loading /> : null}
          {products.isError ? <ErrorNotice>{errorText(products.error, t)}</ErrorNotice> : null}
          {products.data?.products.length === 0 ? <p>{t.home.noProducts}</p> : null}
          <div className="products">
            {products.data?.products.map((product) => (
              <ProductCard key={product.id} product={product} />
            ))}
          </div>
        </section>
        <aside className="side">
          <BreakerCard />
          <HealthCard />
        </aside>
      </div>
    </div>
  );
}
