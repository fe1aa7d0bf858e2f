// Optional small talk from an OpenAI-compatible chat endpoint. Only used for
// greetings: offers, deliveries, refunds and disputes stay scripted, so the
// model can never be talked into moving money.
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

export function llmChat(settings: LlmSettings, timeoutMs = 10_000) {
  return async (prompt: string): Promise<string | null> => {
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
            { role: "system", content: "You are a friendly seller in a marketplace chat. One short sentence, no promises about payment." },
            { role: "user", content: prompt },
          ],
          max_tokens: 60,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) return null;
      const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
      return body.choices?.[0]?.message?.content?.trim() || null;
    } catch {
      return null; // the scripted reply is used instead
    }
  };
}
