/**
 * The read-only property paths of a model that can hold resource ids: the properties a provider
 * fills in by itself (an NSG's `subnets`, a DDoS plan's `publicIPAddresses`, a disk's
 * `managedBy`), as opposed to the references a user writes.
 */
import type { Declarations } from "./declarations.js";
import type { Mappers, MapperType, PropertyMapper } from "./mappers.js";

/** How deep into nested writable objects the walk looks for read-only properties. */
const maxDepth = 8;

/**
 * String properties whose name says they hold an ARM id (`managedBy`, `…Id`, `…ResourceId`,
 * `…Uri`, `link`). GUID-valued names are left out only to keep the table small: a GUID never
 * looks like an ARM id, so an extra row would never produce an edge.
 */
const idName = /(^id$|Ids?$|IDs?$|^managedBy|Uri$|^link$|Link$)/;
const guidName =
  /^(principalId|tenantId|clientId|objectId|applicationId|appId|subscriptionId|customerId|uniqueId|vmId|requestId|correlationId|operationId|activityId|resourceGuid|keyId|secretId|certificateId|thumbprint)$/i;

/** Splits a serialized name at unescaped dots (`properties.odata\\.type` is two steps). */
const steps = (serializedName: string): string[] => serializedName.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, "."));

/** What the walk needs besides the model: the package's mappers and which models are resources. */
export interface WalkContext {
  mappers: Mappers;
  /** The package's model declarations, for `readonly` the mappers leave out. */
  declarations: Declarations;
  /** The ARM types whose read returns each model (class name). */
  resourceModels: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The read-only paths, in the payload of a resource of `armType` read as `model` (a class name),
 * that can hold resource ids, sorted. The walk enters nested writable objects, and the embedded
 * children of the type (a load balancer's backend pools), but not a reference to another resource
 * typed as that resource's whole model (a private endpoint's `subnet`): a payload holds only the
 * `id` there.
 */
export function readOnlyReferencePaths(model: string, armType: string, ctx: WalkContext): string[] {
  const out = new Set<string>();
  const root = ctx.mappers.byClass.get(model);
  if (root !== undefined) walk(root, "", [model], armType, ctx, out);
  return [...out].sort();
}

function isOtherResource(className: string, armType: string, ctx: WalkContext): boolean {
  const types = ctx.resourceModels.get(className);
  if (types === undefined) return false;
  for (const t of types) if (t.startsWith(`${armType}/`)) return false;
  return true;
}

/** A property of a model: its name in the model, its mapper, and the model that holds it. */
type Property = [name: string, mapper: PropertyMapper, owner: string];

function propertiesOf(type: MapperType, mappers: Mappers): Property[] {
  const className = type.className ?? "";
  const own = type.modelProperties ?? mappers.byClass.get(className)?.modelProperties ?? {};
  const all = Object.entries(own).map(([n, p]): Property => [n, p, className]);
  if (className !== "") {
    // A polymorphic base: its kinds' properties may appear in the payload too.
    for (const [key, sub] of mappers.discriminators) {
      if (!key.startsWith(`${className}.`)) continue;
      const subName = sub.className ?? "";
      for (const [n, p] of Object.entries(sub.modelProperties ?? mappers.byClass.get(subName)?.modelProperties ?? {}))
        all.push([n, p, subName]);
    }
  }
  return all;
}

const readOnly = (prop: Property, ctx: WalkContext): boolean =>
  prop[1].readOnly === true || ctx.declarations.isReadOnly(prop[2], prop[0]) === true;

function walk(type: MapperType, path: string, stack: string[], armType: string, ctx: WalkContext, out: Set<string>): void {
  const mappers = ctx.mappers;
  for (const property of propertiesOf(type, mappers)) {
    const [name, prop] = property;
    if (prop.serializedName === undefined || prop.serializedName === "") continue;
    const parts = steps(prop.serializedName);
    const at = path === "" ? parts.join(".") : `${path}.${parts.join(".")}`;
    const last = parts.at(-1) ?? name;
    if (readOnly(property, ctx)) {
      // A read-only `id` is the object's own id (its parent is the reference), never a listing.
      if (last !== "id" && holdsIds(prop.type, last, stack, mappers, 0)) out.add(at);
      continue;
    }
    let inner = prop.type;
    let here = at;
    while (inner.name === "Sequence" && inner.element !== undefined) {
      inner = inner.element.type;
      here = `${here}[*]`;
    }
    // Dictionary values sit under keys the payload chooses, which a fixed path cannot name.
    if (inner.name !== "Composite" || stack.length >= maxDepth) continue;
    const className = inner.className ?? "";
    if (stack.includes(className) || isOtherResource(className, armType, ctx)) continue;
    walk(inner, here, [...stack, className], armType, ctx, out);
  }
}

const compositeHoldsIds = new WeakMap<Mappers, Map<string, boolean>>();

function holdsIds(type: MapperType, name: string, stack: string[], mappers: Mappers, depth: number): boolean {
  switch (type.name) {
    case "String":
      return idName.test(name) && !guidName.test(name);
    case "Sequence":
      return type.element !== undefined && holdsIds(type.element.type, name, stack, mappers, depth);
    case "Dictionary":
      return type.value !== undefined && holdsIds(type.value.type, name, stack, mappers, depth);
    case "Composite": {
      const className = type.className ?? "";
      let memo = compositeHoldsIds.get(mappers);
      if (memo === undefined) compositeHoldsIds.set(mappers, (memo = new Map()));
      const known = memo.get(className);
      if (known !== undefined) return known;
      if (depth >= maxDepth || stack.includes(className)) return false;
      const props = propertiesOf(type, mappers);
      const holds =
        props.some(([, p]) => p.serializedName === "id") ||
        props.some(
          ([n, p]) =>
            p.serializedName !== undefined &&
            holdsIds(p.type, steps(p.serializedName).at(-1) ?? n, [...stack, className], mappers, depth + 1),
        );
      // Only a found id is certain: a false may come from the depth or cycle cut of this walk.
      if (holds || className === "") memo.set(className, holds);
      return holds;
    }
    default:
      return false;
  }
}

/** True when `path` (walk notation) names a property the model lets a user write. */
export function writableAt(model: string, path: string, ctx: WalkContext): boolean {
  const type = ctx.mappers.byClass.get(model);
  return type !== undefined && writableSteps(type, steps(path.replace(/\[\*\]/g, "")), ctx, 0);
}

function writableSteps(type: MapperType, rest: string[], ctx: WalkContext, depth: number): boolean {
  if (depth > maxDepth) return false;
  for (const property of propertiesOf(type, ctx.mappers)) {
    const prop = property[1];
    if (prop.serializedName === undefined || prop.serializedName === "") continue;
    const parts = steps(prop.serializedName);
    if (parts.length > rest.length || parts.some((p, i) => p !== rest[i])) continue;
    if (readOnly(property, ctx)) return false;
    const remaining = rest.slice(parts.length);
    if (remaining.length === 0) return true;
    let inner = prop.type;
    while (inner.name === "Sequence" && inner.element !== undefined) inner = inner.element.type;
    if (inner.name === "Composite" && writableSteps(inner, remaining, ctx, depth + 1)) return true;
  }
  return false;
}
