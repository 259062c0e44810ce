/** `T` with its fields writable: for a record or state its owner builds up in place before handing it out. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }
