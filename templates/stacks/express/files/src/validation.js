import { z } from "zod";

/**
 * The request schema of each field type a resource can have. A field that is
 * not required also accepts null (or can be left out).
 */
export const fieldTypes = {
  string: () => z.string().trim().min(1).max(255),
  text: () => z.string().max(10_000),
  integer: () => z.int32(),
  // DECIMAL(12, 2): up to 10 digits before the point and 2 after. A JSON number
  // or a numeric string comes in; an exact string ("19.90") goes out.
  decimal: () =>
    z
      .union([z.number(), z.string().trim()])
      .transform((value) => String(value))
      .pipe(z.string().regex(/^-?\d{1,10}(\.\d{1,2})?$/, "must be a number with at most 10 digits and 2 decimals")),
  boolean: () => z.boolean(),
};

/** `/:id` route parameters. */
export const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/** `?limit=20&offset=0` */
export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
