/**
 * The parts of a topology resource that monitoring reads. An export's `ExportResource` fits, and so
 * does a node of the topology graph.
 */
export interface MonitoredResource {
  key: string;
  type: string;
  id?: string;
  name?: string;
  resourceGroup?: string;
  subscriptionId?: string;
  location?: string;
  tags?: Readonly<Record<string, string>>;
  properties?: unknown;
}
