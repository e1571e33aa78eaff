import t from "tap";
import { describeThrown, plainData } from "../../engine/plain-data.ts";
import { settleBundle, thrown } from "../../engine/settle.ts";

t.test("plain data is copied as it is", async (t) => {
  const shared = { a: 1 };
  const input = {
    s: "x",
    n: 1.5,
    b: false,
    z: null,
    u: undefined,
    list: [1, "two", [3], shared],
    shared,
    bare: Object.assign(Object.create(null) as object, { k: "v" }),
  };
  const { value, issues } = plainData(input);
  t.same(issues, []);
  t.same(value, input);
  t.not((value as typeof input).shared, shared, "a copy");
  t.equal(Object.getPrototypeOf((value as typeof input).bare), Object.prototype, "null-prototype objects become plain objects");
  // biome-ignore lint/suspicious/noSparseArray: a hole is the case under test
  t.same(plainData([, 1]).value, [undefined, 1], "a hole reads as undefined");
});

t.test("every value that is not data is an issue with its path, nothing is dropped", async (t) => {
  class Custom {}
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const getter = Object.defineProperty({}, "boom", {
    enumerable: true,
    get: () => {
      throw new Error("no value today");
    },
  });
  const input = {
    fn: () => 1,
    big: 10n,
    sym: Symbol("s"),
    date: new Date(0),
    map: new Map(),
    custom: new Custom(),
    anonymous: Object.create({}) as object,
    nullConstructor: Object.create({ constructor: undefined }) as object,
    anonymousClass: new (class {})(),
    promise: Promise.resolve(1),
    circular,
    getter,
    symbolKey: { [Symbol("k")]: 1 },
    list: [() => 2],
  };
  const parsed = JSON.parse('{"__proto__": {"x": 1}, "prototype": 1, "nested": {"constructor": 2}}') as object;
  const { value, issues } = plainData({ ...input, parsed }, ["instances", "a"]);
  t.same(
    issues.map((i) => i.path),
    [
      "instances.a.fn",
      "instances.a.big",
      "instances.a.sym",
      "instances.a.date",
      "instances.a.map",
      "instances.a.custom",
      "instances.a.anonymous",
      "instances.a.nullConstructor",
      "instances.a.anonymousClass",
      "instances.a.promise",
      "instances.a.circular.self",
      "instances.a.getter.boom",
      "instances.a.symbolKey",
      "instances.a.list.0",
      "instances.a.parsed.__proto__",
      "instances.a.parsed.prototype",
      "instances.a.parsed.nested.constructor",
    ],
  );
  const message = (path: string) => issues.find((i) => i.path === `instances.a.${path}`)!.message;
  t.equal(message("fn"), "a function is not a value: call it and use what it returns");
  t.match(message("big"), /^a BigInt is not a value/);
  t.match(message("sym"), /^a symbol is not a value/);
  t.match(message("date"), /^a Date is not a value: use a string/);
  t.match(message("map"), /^a Map is not a value/);
  t.match(message("custom"), /^a Custom is not a value/);
  t.match(message("anonymous"), /^an object with a custom prototype is not a value/);
  t.match(message("nullConstructor"), /^an object with a custom prototype is not a value/);
  t.match(message("anonymousClass"), /^an object with a custom prototype is not a value/);
  t.match(message("promise"), /^a promise is not a value: await it/);
  t.match(message("circular.self"), /^a circular reference/);
  t.equal(message("getter.boom"), "reading it threw: no value today");
  t.match(message("symbolKey"), /^a symbol key is not a key/);
  t.match(message("parsed.__proto__"), /^the key "__proto__" cannot be used/);
  t.equal(({} as Record<string, unknown>).x, undefined, "Object.prototype untouched");
  t.equal(Object.getPrototypeOf((value as { parsed: object }).parsed), Object.prototype);
});

t.test("a Proxy whose traps throw", async (t) => {
  const hostile = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error("no keys");
      },
    },
  );
  t.same(plainData({ hostile }).issues, [{ path: "hostile", message: "reading it threw: no keys" }]);
});

t.test("describeThrown and thrown never throw", async (t) => {
  t.equal(describeThrown(new Error("m")), "m");
  t.equal(describeThrown("text"), "text");
  t.equal(
    describeThrown({
      toString: () => {
        throw new Error("x");
      },
    }),
    "(a value that cannot be printed)",
  );
  const error = Object.defineProperty(new Error("m"), "stack", {
    get: () => {
      throw new Error("no stack");
    },
  });
  t.same(thrown(error), { kind: "threw", message: "m", stack: "" });
  t.same(thrown(42), { kind: "threw", message: "42", stack: "" });
});

t.test("settleBundle: the default export, awaited, as plain data", async (t) => {
  t.same(await settleBundle(async () => ({ default: { instances: {} } })), { kind: "value", value: { instances: {} }, issues: [] });
  t.same(await settleBundle(async () => ({ default: Promise.resolve({ a: 1 }) })), { kind: "value", value: { a: 1 }, issues: [] }, "a promise is awaited");
  t.same(await settleBundle(async () => ({})), { kind: "no-default" });
  const fn = await settleBundle(async () => ({ default: () => ({}) }));
  t.match(fn, { kind: "value", issues: [{ path: "", message: /^the default export is a function/ }] });
  t.match(await settleBundle(async () => ({ default: Promise.reject(new Error("later")) })), { kind: "threw", message: "later" });
  t.match(
    await settleBundle(async () => {
      throw new Error("now");
    }),
    { kind: "threw", message: "now", stack: /^Error: now/ },
  );
});
