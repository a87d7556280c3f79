import { ListSkeleton } from "../../list-skeleton";

export default function NamespacesLoading() {
  return <ListSkeleton hasFilters={false} />;
}
