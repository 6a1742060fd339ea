export function SkeletonCard() {
  return (
    <div className="tweet tweet--skeleton" aria-busy="true" aria-label="Dealing a tweet…" role="status">
      <header className="tweet__header">
        <div className="avatar avatar--unknown" aria-hidden="true" />
        <div className="tweet__who" aria-hidden="true">
          <span className="placeholder placeholder--name" />
          <span className="placeholder placeholder--handle" />
        </div>
      </header>
      <div className="skeleton-lines" aria-hidden="true">
        <span className="placeholder placeholder--line" />
        <span className="placeholder placeholder--line" />
        <span className="placeholder placeholder--line placeholder--short" />
      </div>
    </div>
  );
}
