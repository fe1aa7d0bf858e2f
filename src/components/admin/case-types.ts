// What the admin procedures return, as the console's components see it.
import type { RouterOutputs } from "~/trpc/types";

export type AdminCase = RouterOutputs["admin"]["case"];
export type CaseMessage = AdminCase["transcript"][number];
