import { ListSkeleton } from "../../list-skeleton";

export default function PatternsLoading() {
  return <ListSkeleton />;
}
