// GET /.well-known/jwks.json: the receipt keyset's public keys (never a private part).
import { publicJwks, receiptKeyset, type ReceiptKeyset } from "./keys";

export async function jwksResponse(keyset?: ReceiptKeyset): Promise<Response> {
  const keys = publicJwks(keyset ?? (await receiptKeyset()));
  return new Response(JSON.stringify(keys), {
    status: 200,
    headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" },
  });
}
