import type { ArmResource, Estate, EstateSubscription } from "../estates/schema.js";
import { canonicalKey, fullType, parseProviderPath, pathSegments } from "./ids.js";
import { ProviderCatalog } from "./provider-catalog.js";

/** A resource as the emulator serves it, with the keys it is found under. */
export interface IndexedResource {
  /** Canonical id. */
  key: string;
  /** The object a GET returns, exactly as in the estate. */
  body: ArmResource;
  /** Canonical key of the group (`/subscriptions/s/resourcegroups/g`), if the id has one. */
  resourceGroupKey: string | undefined;
  /** Canonical key of the collection it is listed in: its id without the last segment. */
  collectionKey: string;
  /** A direct child of a group or subscription (not a child or extension resource). */
  topLevel: boolean;
}

/** A resource group derived from resource ids. */
export interface IndexedResourceGroup {
  id: string;
  name: string;
  location: string;
}

/** A subscription and what its generic list (`/resources`) returns. */
export interface IndexedSubscription {
  subscription: EstateSubscription;
  /** Tracked resources: top-level ones, and children with a location (as SQL databases). */
  listed: IndexedResource[];
}

/**
 * An estate indexed for serving: lookups by canonical id, collections (a group's or a parent's
 * resources of one type, and a subscription's resources of one top-level type), resource groups,
 * and the provider catalog. Children embedded in a parent's `properties` arrays (subnets in a
 * virtual network) are served by id and listed under the parent unless the estate has their own entry.
 */
export class EstateIndex {
  readonly subscriptions = new Map<string, IndexedSubscription>();
  readonly resources = new Map<string, IndexedResource>();
  readonly collections = new Map<string, IndexedResource[]>();
  readonly resourceGroups = new Map<string, IndexedResourceGroup>();
  readonly catalog: ProviderCatalog;

  constructor(readonly estate: Estate) {
    this.catalog = new ProviderCatalog(estate.apiVersions);
    for (const subscription of estate.subscriptions) {
      const listed: IndexedResource[] = [];
      this.subscriptions.set(subscription.subscriptionId.toLowerCase(), { subscription, listed });
      for (const body of subscription.resources) {
        const indexed = this.add(body);
        if (indexed && (indexed.topLevel || body.location !== undefined)) listed.push(indexed);
        if (indexed) this.addResourceGroup(body);
      }
    }
    for (const parent of [...this.resources.values()]) this.addEmbeddedChildren(parent);
    for (const type of Object.keys(estate.apiVersions ?? {})) this.catalog.add(type, undefined);
  }

  /** Resource groups of a subscription, in first-seen order. */
  resourceGroupsOf(subscriptionId: string): IndexedResourceGroup[] {
    const prefix = `/subscriptions/${subscriptionId.toLowerCase()}/`;
    return [...this.resourceGroups.entries()].filter(([k]) => k.startsWith(prefix)).map(([, g]) => g);
  }

  private add(body: ArmResource): IndexedResource | undefined {
    const key = canonicalKey(body.id);
    if (this.resources.has(key)) return undefined;
    const segments = pathSegments(body.id);
    const path = parseProviderPath(segments);
    const topLevel = path !== undefined && path.types.length === 1 && path.scope.length <= 4;
    const resourceGroupKey = path?.resourceGroup
      ? canonicalKey(`/subscriptions/${path.subscriptionId}/resourcegroups/${path.resourceGroup}`)
      : undefined;
    const indexed: IndexedResource = {
      key,
      body,
      resourceGroupKey,
      collectionKey: key.slice(0, key.lastIndexOf("/")),
      topLevel,
    };
    this.resources.set(key, indexed);
    this.push(indexed.collectionKey, indexed);
    if (path && topLevel && path.resourceGroup !== undefined) {
      this.push(canonicalKey(`/subscriptions/${path.subscriptionId}/providers/${fullType(path)}`), indexed);
    }
    this.catalog.add(body.type, body.location);
    return indexed;
  }

  private push(collectionKey: string, resource: IndexedResource): void {
    const list = this.collections.get(collectionKey);
    if (list) list.push(resource);
    else this.collections.set(collectionKey, [resource]);
  }

  private addResourceGroup(body: ArmResource): void {
    const path = parseProviderPath(pathSegments(body.id));
    if (!path?.resourceGroup) return;
    const key = canonicalKey(`/subscriptions/${path.subscriptionId}/resourcegroups/${path.resourceGroup}`);
    const existing = this.resourceGroups.get(key);
    if (existing) {
      if (existing.location === "" && body.location) existing.location = body.location;
      return;
    }
    this.resourceGroups.set(key, {
      id: `/subscriptions/${path.subscriptionId}/resourceGroups/${path.resourceGroup}`,
      name: path.resourceGroup,
      location: body.location ?? "",
    });
  }

  /** Indexes objects in the parent's top-level `properties` arrays whose id is a direct child of it. */
  private addEmbeddedChildren(parent: IndexedResource): void {
    const properties = parent.body.properties;
    if (typeof properties !== "object" || properties === null) return;
    for (const value of Object.values(properties as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      for (const item of value as unknown[]) {
        const child = embeddedChild(parent, item);
        if (child) this.add(child);
      }
    }
  }
}

function embeddedChild(parent: IndexedResource, item: unknown): ArmResource | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const candidate = item as Record<string, unknown>;
  if (typeof candidate.id !== "string" || !("properties" in candidate || "name" in candidate)) return undefined;
  const segments = pathSegments(candidate.id);
  const childSegment = segments[segments.length - 2];
  const name = segments[segments.length - 1];
  if (childSegment === undefined || name === undefined) return undefined;
  if (canonicalKey(segments.slice(0, -2).join("/")) !== parent.key) return undefined;
  const type = typeof candidate.type === "string" ? candidate.type : `${parent.body.type}/${childSegment}`;
  return { ...candidate, id: candidate.id, name: typeof candidate.name === "string" ? candidate.name : name, type };
}
