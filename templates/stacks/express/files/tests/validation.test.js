import { decimalPattern, fieldSchema } from "../src/validation.js";

// The rules of every field type, whatever fields this service's resource has.
describe("fieldSchema", () => {
  test("a decimal: a number or a numeric string in bounds, 2 decimals at most, out as an exact string", () => {
    const schema = fieldSchema({ type: "decimal", required: true, minimum: "0", maximum: "100.00" });
    expect(schema.parse(19.9)).toBe("19.90");
    expect(schema.parse("0.29")).toBe("0.29");
    for (const [value, message] of [
      ["abc", "must be a number with at most 10 digits and 2 decimals"],
      [-1, "must be at least 0"],
      ["100.01", "must be at most 100.00"],
      [1.234, "must have at most 2 decimals"],
    ]) {
      const result = schema.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error.issues[0].message).toBe(message);
    }
  });

  test("negative decimals take a sign only when the minimum allows them", () => {
    expect(new RegExp(decimalPattern({ minimum: "0" })).test("-1")).toBe(false);
    expect(new RegExp(decimalPattern({ minimum: "-5" })).test("-1.50")).toBe(true);
  });

  test("an integer within its bounds, a boolean, and optional fields", () => {
    const integer = fieldSchema({ type: "integer", required: true, minimum: "1", maximum: "10" });
    expect(integer.parse(3)).toBe(3);
    expect(integer.safeParse(11).success).toBe(false);
    expect(integer.safeParse(1.5).success).toBe(false);
    const flag = fieldSchema({ type: "boolean", required: false });
    expect(flag.parse(true)).toBe(true);
    expect(flag.parse(null)).toBeNull();
    expect(flag.parse(undefined)).toBeUndefined();
    expect(flag.safeParse("yes").success).toBe(false);
  });

  test("a string within its length, without NUL", () => {
    const text = fieldSchema({ type: "string", required: true, minLength: 1, maxLength: 5 });
    expect(text.parse("abc")).toBe("abc");
    expect(text.safeParse("").success).toBe(false);
    expect(text.safeParse("abcdef").success).toBe(false);
    expect(text.safeParse("a\u0000b").success).toBe(false);
  });
});
