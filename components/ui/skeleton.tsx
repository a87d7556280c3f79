export function Skeleton({ height, width = "100%" }: { height: string; width?: string }) {
  return <div className="skeleton" style={{ height, width }} aria-hidden="true" />;
}
