// The optional model, from an OpenAI-compatible chat endpoint, for two jobs: small talk (greetings)
// and reading an owner's free-text reply that the rule table could not map into one of the same
// actions (src/agents/demo/owner-instructions.ts). Offers, deliveries, refunds and disputes stay
// scripted: the model only ever picks among the owner's actions, so a customer cannot talk it into
// moving money, and whatever it answers is checked before anything is done.
import { actionFromModel, MODEL_INSTRUCTIONS, type OwnerAction } from "./owner-instructions";
export interface LlmSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
}

export function llmFromEnv(env: Readonly<Record<string, string | undefined>>): LlmSettings | null {
  const baseUrl = env.HOLDFAST_DEMO_LLM_URL;
  const model = env.HOLDFAST_DEMO_LLM_MODEL;
  if (!baseUrl || !model) return null;
  return { baseUrl: baseUrl.replace(/\/$/, ""), model, ...(env.HOLDFAST_DEMO_LLM_KEY ? { apiKey: env.HOLDFAST_DEMO_LLM_KEY } : {}) };
}

async function complete(settings: LlmSettings, system: string, user: string, maxTokens: number, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(`${settings.baseUrl}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: settings.model,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
        max_tokens: maxTokens,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    return body.choices?.[0]?.message?.content?.trim() || null;
  } catch {
    return null; // the scripted reply is used instead
  }
}

export function llmChat(settings: LlmSettings, timeoutMs = 10_000) {
  return (prompt: string): Promise<string | null> =>
    complete(settings, "You are a friendly seller in a marketplace chat. One short sentence, no promises about payment.", prompt, 60, timeoutMs);
}

/** Reads an owner's reply into one of the owner actions, or null (not understood, model down, or nonsense). */
export function llmOwnerInterpreter(settings: LlmSettings, timeoutMs = 10_000) {
  return async (instruction: string): Promise<OwnerAction | null> => {
    const answer = await complete(settings, MODEL_INSTRUCTIONS, instruction, 200, timeoutMs);
    if (!answer) return null;
    // Models like to wrap JSON in a code fence; take the object inside.
    const json = /\{[\s\S]*\}/.exec(answer)?.[0];
    try {
      return json ? actionFromModel(JSON.parse(json)) : null;
    } catch {
      return null;
    }
  };
}
