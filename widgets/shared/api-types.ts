/**
 * Types of the HTTP API's operations, read from the BFF's route declarations
 * (`ApiSchema`): the clients of the widgets and the demo name a path and get its
 * parameters and answer from there, so there is no second list of paths or shapes.
 * Type-only: nothing of the BFF (or zod) enters the widget bundle.
 */
import type { ApiSchema } from '../../bff/app.ts';

export type Api = ApiSchema;
export type Method = '$get' | '$post' | '$put' | '$delete';
/** Hono paths (`/devices/:id`) with an operation for `method`. */
export type PathWith<M extends Method> = { [P in keyof Api]: M extends keyof Api[P] ? P : never }[keyof Api] & string;
type Endpoint<P extends keyof Api, M extends Method> = M extends keyof Api[P] ? Api[P][M] : never;

/** The success answer (2xx JSON) of an operation. */
export type Answer<P extends keyof Api, M extends Method> = Extract<Endpoint<P, M>, { status: 200 | 201 | 202 }> extends { output: infer O } ? O : never;
/** The query parameters an operation accepts (each may also be null: left out). */
export type QueryOf<P extends keyof Api, M extends Method = '$get'> = Endpoint<P, M> extends { input: { query?: infer Q } } ? { [K in keyof Q]?: Q[K] | null } : never;
/** The JSON body an operation accepts. */
export type BodyOf<P extends keyof Api, M extends Method> = Endpoint<P, M> extends { input: { json: infer B } } ? B : never;

/** A concrete path of a Hono path: `/devices/:id` → `/devices/${string}`. */
export type Concrete<P extends string> = P extends `${infer Head}/:${string}/${infer Rest}`
  ? `${Head}/${string}/${Concrete<Rest>}`
  : P extends `${infer Head}/:${string}`
    ? `${Head}/${string}`
    : P;
