import { ListSkeleton } from "../../list-skeleton";

export default function ProblemsLoading() {
  return <ListSkeleton />;
}
