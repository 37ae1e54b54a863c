/**
 * The public documentation each failure-model fact rests on (docs/topology.md lists them with the
 * facts). A rule names its source by key, so a reader can check why TopDeck believes it.
 */

/** One public page. */
export interface FactSource {
  title: string;
  url: string;
}

/** Sources by key. */
export const factSources = {
  zonesOverview: {
    title: "What are availability zones?",
    url: "https://learn.microsoft.com/en-us/azure/reliability/availability-zones-overview",
  },
  zoneSupport: {
    title: "Azure services that support availability zones",
    url: "https://learn.microsoft.com/en-us/azure/reliability/availability-zones-service-support",
  },
  virtualNetwork: {
    title: "Reliability in Azure Virtual Network",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-virtual-network",
  },
  privateLink: { title: "What is Azure Private Link?", url: "https://learn.microsoft.com/en-us/azure/private-link/private-link-overview" },
  privateDns: { title: "What is Azure Private DNS?", url: "https://learn.microsoft.com/en-us/azure/dns/private-dns-overview" },
  dns: { title: "What is Azure DNS?", url: "https://learn.microsoft.com/en-us/azure/dns/dns-overview" },
  frontDoor: {
    title: "Reliability in Azure Front Door",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-front-door",
  },
  frontDoorOrigins: {
    title: "Origins and origin groups in Azure Front Door",
    url: "https://learn.microsoft.com/en-us/azure/frontdoor/origin",
  },
  trafficManager: {
    title: "Traffic Manager endpoint monitoring",
    url: "https://learn.microsoft.com/en-us/azure/traffic-manager/traffic-manager-monitoring",
  },
  keyVault: {
    title: "Azure Key Vault availability and redundancy",
    url: "https://learn.microsoft.com/en-us/azure/key-vault/general/disaster-recovery-guidance",
  },
  managedIdentity: {
    title: "What are managed identities for Azure resources?",
    url: "https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/overview",
  },
  storageRedundancy: {
    title: "Azure Storage redundancy",
    url: "https://learn.microsoft.com/en-us/azure/storage/common/storage-redundancy",
  },
  diskRedundancy: {
    title: "Redundancy options for Azure managed disks",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machines/disks-redundancy",
  },
  vmZones: {
    title: "Reliability in Azure Virtual Machines",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-virtual-machines",
  },
  scaleSets: {
    title: "Reliability in Virtual Machine Scale Sets",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-virtual-machine-scale-sets",
  },
  aksZones: {
    title: "Configure availability zones in Azure Kubernetes Service (AKS)",
    url: "https://learn.microsoft.com/en-us/azure/aks/availability-zones",
  },
  appService: {
    title: "Reliability in Azure App Service",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-app-service",
  },
  loadBalancerPools: {
    title: "Backend pool management (Azure Load Balancer)",
    url: "https://learn.microsoft.com/en-us/azure/load-balancer/backend-pool-management",
  },
  loadBalancerProbes: {
    title: "Azure Load Balancer health probes",
    url: "https://learn.microsoft.com/en-us/azure/load-balancer/load-balancer-custom-probe-overview",
  },
  loadBalancerZones: {
    title: "Reliability in Load Balancer",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-load-balancer",
  },
  appGatewayProbes: {
    title: "Application Gateway health probes overview",
    url: "https://learn.microsoft.com/en-us/azure/application-gateway/application-gateway-probe-overview",
  },
  appGatewayZones: {
    title: "Reliability in Azure Application Gateway v2",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-application-gateway-v2",
  },
  publicIpZones: {
    title: "Public IP addresses: availability zone",
    url: "https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses#availability-zone",
  },
  sqlFailoverGroups: {
    title: "Failover groups overview & best practices (Azure SQL Database)",
    url: "https://learn.microsoft.com/en-us/azure/azure-sql/database/failover-group-sql-db",
  },
  sqlGeoReplication: {
    title: "Active geo-replication (Azure SQL Database)",
    url: "https://learn.microsoft.com/en-us/azure/azure-sql/database/active-geo-replication-overview",
  },
  sqlServer: {
    title: "What is a logical SQL server in Azure SQL Database and Azure Synapse?",
    url: "https://learn.microsoft.com/en-us/azure/azure-sql/database/logical-servers",
  },
  sqlZones: {
    title: "Reliability in Azure SQL Database",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-sql-database",
  },
  cosmos: {
    title: "Reliability in Azure Cosmos DB for NoSQL",
    url: "https://learn.microsoft.com/en-us/azure/reliability/reliability-cosmos-db",
  },
  redis: {
    title: "High availability for Azure Cache for Redis",
    url: "https://learn.microsoft.com/en-us/azure/azure-cache-for-redis/cache-high-availability",
  },
  containerRegistry: {
    title: "Enable zone redundancy in Azure Container Registry",
    url: "https://learn.microsoft.com/en-us/azure/container-registry/zone-redundancy",
  },
  flexibleServer: {
    title: "High availability concepts in Azure Database for PostgreSQL - Flexible Server",
    url: "https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-high-availability",
  },
  diagnostics: {
    title: "Diagnostic settings in Azure Monitor",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/diagnostic-settings",
  },
  alerts: { title: "What are Azure Monitor alerts?", url: "https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-overview" },
  appInsights: {
    title: "Application Insights OpenTelemetry observability overview",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/app/app-insights-overview",
  },
  availabilitySets: {
    title: "Availability sets overview",
    url: "https://learn.microsoft.com/en-us/azure/virtual-machines/availability-set-overview",
  },
  regions: { title: "What are Azure regions?", url: "https://learn.microsoft.com/en-us/azure/reliability/regions-overview" },
} as const satisfies Record<string, FactSource>;

/** The key of a source. */
export type FactSourceKey = keyof typeof factSources;
