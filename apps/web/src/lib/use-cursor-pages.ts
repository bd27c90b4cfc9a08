import { useState } from "react";

/**
 * Page-by-page navigation over a cursor-paged list (newest first): the
 * cursors of the pages visited so far, so Previous needs no server support.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    next: (cursor: string) => setCursors((visited) => [...visited, cursor]),
    previous: () => setCursors((visited) => (visited.length > 1 ? visited.slice(0, -1) : visited)),
  };
}
