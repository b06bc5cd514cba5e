import { Link } from "react-router";
import { useTitle } from "../hooks";
import { useAdmin } from "./context";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/Badge";
import { Fact, FactList } from "../components/Facts";
import { formatDate } from "../format";

/** Who am I: the signed-in user and their role in each organisation. */
export function AccountPage() {
  useTitle("Your account");
  const { me, signOut } = useAdmin();
  return (
    <>
      <PageHeader
        title="Your account"
        actions={
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
        }
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="me-heading">
          <h2 id="me-heading" className="card-title">
            Signed in as
          </h2>
          <FactList>
            <Fact label="Name">{me.user.display_name}</Fact>
            <Fact label="E-mail">{me.user.email}</Fact>
            <Fact label="Account created">{formatDate(me.user.created_at)}</Fact>
          </FactList>
        </section>
        <section className="card" aria-labelledby="orgs-heading">
          <h2 id="orgs-heading" className="card-title">
            Organisations
          </h2>
          <ul className="plain-list spaced">
            {me.memberships.map((m) => (
              <li key={m.organization.id} className="row-between">
                <Link to={`/admin/${m.organization.slug}/products`}>{m.organization.name}</Link>
                <StatusBadge status={m.role} />
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
