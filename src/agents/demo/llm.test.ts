// The demo agent's optional small talk against a local server that speaks the OpenAI chat-completions
// protocol: the request it sends, the reply it takes, and the scripted fallback when the model is
// down, slow or answers nonsense. The model writes greetings, and reads an owner's free-text reply the
// rule table could not into the same small set of actions; it never moves money by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import { startLoopbackJsonServer, type JsonAnswer, type JsonRequest, type LoopbackServer } from "~/test/loopback-json-server";
import { DemoSellerAgent } from "./agent";
import { callerFor } from "~/server/api/root";
import { llmChat, llmFromEnv, llmOwnerInterpreter } from "./llm";

const completion = (content: string): JsonAnswer => ({
  status: 200,
  payload: {
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "tiny-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  },
});

let requests: JsonRequest[] = [];
let answer: (request: JsonRequest) => JsonAnswer | Promise<JsonAnswer> = () => completion("Hi!");
let model: LoopbackServer;
beforeAll(async () => {
  model = await startLoopbackJsonServer((request) => {
    requests.push(request);
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      return { status: 404, payload: { error: { message: "Unknown route", type: "invalid_request_error" } } };
    }
    return answer(request);
  });
});
afterAll(() => model.close());

describe("llmFromEnv", () => {
  it("is off unless both the URL and the model are set; the key is optional", () => {
    expect(llmFromEnv({})).toBeNull();
    expect(llmFromEnv({ HOLDFAST_DEMO_LLM_URL: "http://x/v1" })).toBeNull();
    expect(llmFromEnv({ HOLDFAST_DEMO_LLM_URL: "http://x/v1/", HOLDFAST_DEMO_LLM_MODEL: "m" })).toEqual({ baseUrl: "http://x/v1", model: "m" });
    expect(llmFromEnv({ HOLDFAST_DEMO_LLM_URL: "http://x/v1", HOLDFAST_DEMO_LLM_MODEL: "m", HOLDFAST_DEMO_LLM_KEY: "sk-1" })).toEqual({
      baseUrl: "http://x/v1",
      model: "m",
      apiKey: "sk-1",
    });
  });
});

describe("llmChat", () => {
  it("sends the model, a system and a user message and the bearer key; takes the first choice's text", async () => {
    requests = [];
    answer = () => completion("  Welcome to the shop!  ");
    const chat = llmChat({ baseUrl: `${model.url}/v1`, model: "tiny-model", apiKey: "sk-test" });
    expect(await chat("A customer wrote: hello")).toBe("Welcome to the shop!");
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.authorization).toBe("Bearer sk-test");
    const body = JSON.parse(requests[0]!.body) as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe("tiny-model");
    expect(body.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(body.messages[1]!.content).toBe("A customer wrote: hello");
  });

  it("falls back (null) on an error status, an answer without choices, and a model slower than the timeout", async () => {
    const chat = llmChat({ baseUrl: `${model.url}/v1`, model: "tiny-model" }, 300);
    answer = () => ({ status: 500, payload: { error: { message: "overloaded", type: "server_error" } } });
    expect(await chat("hello")).toBeNull();
    answer = () => ({ status: 200, payload: { choices: [] } });
    expect(await chat("hello")).toBeNull();
    answer = () => new Promise((resolve) => setTimeout(() => resolve(completion("too late")), 2_000));
    expect(await chat("hello")).toBeNull();
    expect(await llmChat({ baseUrl: `${model.url}/nowhere`, model: "m" })("hello")).toBeNull(); // 404
  });
});

describe("the demo agent with a model configured", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it("greets with the model's sentence, then its scripted menu; an offer and payment stay scripted", async () => {
    answer = () => completion("Payment received, I'm sending everything now!");
    const world = await createWorld(h);
    const agent = new DemoSellerAgent(world.client, { chat: llmChat({ baseUrl: `${model.url}/v1`, model: "tiny-model" }) });
    await agent.start();
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "Hello there" });
    while ((await agent.pollOnce(0)) > 0) {
      // handle every event now in the feed
    }
    const { messages } = await world.customerApi.chat.messages({ conversationId: world.conversationId });
    const reply = messages.at(-1)!;
    expect(reply.role).toBe("agent");
    expect(reply.text).toMatch(/^Payment received, I'm sending everything now! Here is what I offer:\n• /);
    // Whatever the model said, nothing was offered, funded or delivered.
    expect(await world.customerApi.escrow.list({ conversationId: world.conversationId })).toEqual([]);
    expect(messages.some((m) => m.artifacts.length > 0)).toBe(false);
  });
});

describe("the demo agent reading its owner's free text with a model configured", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function disputedWithModel() {
    const world = await createWorld(h);
    const settings = { baseUrl: `${model.url}/v1`, model: "tiny-model" };
    const agent = new DemoSellerAgent(world.client, { interpretOwner: llmOwnerInterpreter(settings) });
    const drain = async () => {
      while ((await agent.pollOnce(0)) > 0) {
        // every event now in the feed
      }
    };
    await world.customerApi.chat.send({ conversationId: world.conversationId, text: "A logo for my bakery please" });
    await drain();
    const [offer] = await world.customerApi.escrow.list({ conversationId: world.conversationId });
    await world.customerApi.escrow.accept({ escrowId: offer!.id });
    await drain();
    await world.customerApi.escrow.dispute({ escrowId: offer!.id, reason: "Not my style" });
    await drain();
    const reply = async (text: string) => {
      const alert = await h.tdb.db.ownerAlert.findFirstOrThrow({ where: { agentId: world.agentId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
      await callerFor(h.deps.engine, world.owner).owner.reply({ alertId: alert.id, text });
      await drain();
    };
    return { world, offer: offer!, reply };
  }

  it("maps what the table cannot read to one of the same actions: a split of the stated amount", async () => {
    const { world, offer, reply } = await disputedWithModel();
    requests = [];
    answer = () => completion('```json\n{"action": "split", "amount": "20", "message": null}\n```');
    await reply("could they have twenty bucks back?");
    expect(requests).toHaveLength(1);
    const prompt = JSON.parse(requests[0]!.body) as { messages: { role: string; content: string }[] };
    expect(prompt.messages[1]!.content).toBe("could they have twenty bucks back?");
    const open = (await world.customerApi.escrow.byId({ escrowId: offer.id })).settlements.find((s) => s.status === "open");
    expect(open).toMatchObject({ proposed_by: "agent", refund_amount: 2_000 });

    // A reply the table reads never goes to the model.
    requests = [];
    await reply("offer a full refund");
    expect(requests).toHaveLength(0);
    expect((await world.customerApi.escrow.byId({ escrowId: offer.id })).status).toBe("refunded");
  });

  it("an answer outside the action set, or a model that is down, moves nothing and asks the owner", async () => {
    const { world, offer, reply } = await disputedWithModel();
    answer = () => completion('{"action": "transfer", "amount": "25", "to": "acct_evil"}');
    await reply("send the money to my other account");
    answer = () => ({ status: 500, payload: { error: { message: "down", type: "server_error" } } });
    await reply("whatever you think best");
    const after = await world.customerApi.escrow.byId({ escrowId: offer.id });
    expect(after.status).toBe("negotiating");
    expect(after.settlements.filter((s) => s.status === "open")).toEqual([expect.objectContaining({ proposed_by: "agent", refund_amount: 1_250 })]);
    const questions = await h.tdb.db.ownerAlert.findMany({ where: { agentId: world.agentId, title: "I did not understand your reply" } });
    expect(questions).toHaveLength(2);
  });
});
