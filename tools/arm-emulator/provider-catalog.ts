import { offeredApiVersions } from "./api-versions.js";

/** One resource type as the providers API describes it. */
export interface CatalogType {
  /** Full type, e.g. `Microsoft.Sql/servers/databases`, in the casing first seen. */
  type: string;
  namespace: string;
  /** The type below the namespace, e.g. `servers/databases`. */
  resourceType: string;
  /** Newest first. */
  apiVersions: string[];
  /** Locations of the estate's resources of this type, first-seen casing. */
  locations: string[];
}

/** A namespace and its types, in first-seen order. */
export interface CatalogNamespace {
  namespace: string;
  types: CatalogType[];
}

/** Resource providers and types of an estate, looked up case-insensitively. */
export class ProviderCatalog {
  readonly namespaces = new Map<string, CatalogNamespace>();
  private readonly types = new Map<string, CatalogType>();

  constructor(private readonly apiVersions: Readonly<Record<string, readonly string[]>> | undefined) {}

  /** Registers a type (and a location it is used in). */
  add(type: string, location: string | undefined): void {
    const parts = type.split("/");
    const namespace = parts[0] ?? type;
    if (parts.length < 2) return;
    const key = type.toLowerCase();
    let entry = this.types.get(key);
    if (!entry) {
      let ns = this.namespaces.get(namespace.toLowerCase());
      if (!ns) {
        ns = { namespace, types: [] };
        this.namespaces.set(namespace.toLowerCase(), ns);
      }
      entry = {
        type,
        namespace: ns.namespace,
        resourceType: parts.slice(1).join("/"),
        apiVersions: offeredApiVersions(type, this.apiVersions),
        locations: [],
      };
      ns.types.push(entry);
      this.types.set(key, entry);
    }
    if (location && !entry.locations.some((l) => l.toLowerCase() === location.toLowerCase())) {
      entry.locations.push(location);
    }
  }

  /** The type, matched case-insensitively. */
  type(type: string): CatalogType | undefined {
    return this.types.get(type.toLowerCase());
  }

  /** The namespace, matched case-insensitively. */
  namespace(namespace: string): CatalogNamespace | undefined {
    return this.namespaces.get(namespace.toLowerCase());
  }
}
