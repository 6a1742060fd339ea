import { Link } from '../routing/Link';
import { paths } from '../routing/router';

export function NotFoundPage() {
  return (
    <section className="page">
      <h2>Nothing here</h2>
      <p>
        This page does not exist. <Link to={paths.game}>Play a round</Link> instead.
      </p>
    </section>
  );
}
