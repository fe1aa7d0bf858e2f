// The public keys that sign Holdfast receipts (docs/RECEIPTS.md): every key of the keyset, old ones too, so
// receipts signed before a rotation keep verifying.
import { jwksResponse } from "~/server/receipts/jwks-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = () => jwksResponse();
