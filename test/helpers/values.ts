/** Test helpers: parse values the way `vet` does (defaults included). */
import * as v from "valibot";
import { valuesSchema, type Values, type ValuesInput } from "../../schemas/values.ts";

export function values(input: ValuesInput = {}): Values {
  return v.parse(valuesSchema, input);
}
