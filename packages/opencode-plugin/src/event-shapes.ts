/** The parts of OpenCode events the plugin reads, checked at run time (the SDK's types lag the runtime). */

type Fields = Readonly<Record<string, unknown>>

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An event's type and properties. */
export function eventOf(value: unknown): { type: string; properties: Fields } | undefined {
  const event = fields(value)
  const type = text(event?.type)
  return type === undefined ? undefined : { type, properties: fields(event?.properties) ?? {} }
}

/** The properties object's field as an object. */
export function field(properties: Fields, name: string): Fields | undefined {
  return fields(properties[name])
}

/** The properties object's field as text. */
export function textField(properties: Fields, name: string): string | undefined {
  return text(properties[name])
}
