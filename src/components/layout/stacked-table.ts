// Tables that become stacked rows on a phone: below the `sm` breakpoint each row is a block and each cell
// a line that starts with its column's name (the cell's `data-label`), so nothing scrolls sideways and
// headers never run together. The header row stays for screen readers (`sr-only`), and the elements
// keep their table roles. Give every <td> a `data-label` equal to its column's header.
export const stackedTable = "w-full text-left text-sm max-sm:block";
export const stackedHead = "text-xs uppercase text-stone-600 max-sm:sr-only";
export const stackedBody = "divide-y divide-stone-100 max-sm:block";
export const stackedRow = "max-sm:block max-sm:py-2";
export const stackedCell =
  "py-2 pr-3 align-top max-sm:flex max-sm:justify-between max-sm:gap-4 max-sm:py-0.5 max-sm:pr-0 max-sm:text-right " +
  "max-sm:before:shrink-0 max-sm:before:text-left max-sm:before:font-medium max-sm:before:text-stone-600 max-sm:before:content-[attr(data-label)]";
export const stackedTh = "py-2 pr-3 font-medium";
