import { ListSkeleton } from "../../list-skeleton";

export default function KnownIssuesLoading() {
  return <ListSkeleton />;
}
