import { Link } from "react-router";
import { useTitle } from "./hooks";

export function NotFound({ inline }: { inline?: boolean }) {
  useTitle("Not found");
  const body = (
    <div className="card narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/admin">Go to the admin console</Link>
      </p>
    </div>
  );
  return inline ? body : <main className="centered-page">{body}</main>;
}
