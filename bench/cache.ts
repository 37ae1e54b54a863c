/**
 * `npm run bench -- cache [--quick]`: the store over redis-server behind the Upstash REST bridge
 * (which refuses requests over 1,000,000 bytes, like a small Upstash plan) against the in-memory
 * driver:
 * - HTTP round trips per cached read, counted at the bridge (sequential, and 100 at once);
 * - cached-read (hit) latency over the bridge and in memory;
 * - snapshot write and read time, and stored bytes, for 10,000 and 100,000 resources of a
 *   generated, ARM-like export (VMs, NICs, disks, networks, web apps, databases, vaults, edges).
 */
import { performance } from "node:perf_hooks";

import { z } from "zod";

import { createStore, type Store, type StoreSettings } from "../lib/cache/index.js";
import { createLogger } from "../lib/log/index.js";
import type { ExportEdge, ExportResource, TopologyExport } from "../lib/topology/export-format.js";
import { startUpstashStack } from "../test/support/redis.js";
import { mulberry32 } from "../tools/arm-emulator/faults.js";
import { printResult } from "./_result.js";

const CHUNK_BYTES = 1_000_000;
const READS = 1_000;

// ---------------------------------------------------------------- a realistic export, seeded

/** A seeded, ARM-like export of `count` resources with their edges (about 1.8 KB of JSON per resource). */
export function generateExport(count: number, seed = 42): TopologyExport {
  const random = mulberry32(seed);
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const guid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const b64 = (n: number): string => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256))).toString("base64");
  const sub = guid();
  const locations = ["westeurope", "northeurope", "eastus2", "uksouth"] as const;
  const resources: ExportResource[] = [];
  const edges: ExportEdge[] = [];
  const idOf = (rg: string, type: string, name: string): string => `/subscriptions/${sub}/resourceGroups/${rg}/providers/${type}/${name}`;
  const add = (
    rg: string,
    type: string,
    name: string,
    location: string,
    properties: unknown,
    extra: Partial<ExportResource> = {},
  ): string => {
    const id = idOf(rg, type, name);
    const tags = {
      env: pick(["prod", "test", "dev"]),
      owner: `team-${Math.floor(random() * 40)}`,
      costCenter: String(1000 + Math.floor(random() * 9000)),
    };
    resources.push({ key: id.toLowerCase(), id, type, name, subscriptionId: sub, resourceGroup: rg, location, tags, properties, ...extra });
    return id.toLowerCase();
  };
  const edge = (from: string, to: string, relation: ExportEdge["relation"], via: string): void => {
    edges.push({ from, to, relation, via });
  };
  const created = (): string => new Date(Date.UTC(2023, 0, 1) + Math.floor(random() * 7e10)).toISOString();

  let vnet = "";
  let vnetId = "";
  let subnetIds: string[] = [];
  let nsg = "";
  let plan = "";
  let sqlServer = "";
  for (let g = 0; resources.length < count; g++) {
    const rg = `rg-app-${Math.floor(g / 8)}`;
    const loc = locations[Math.floor(g / 40) % locations.length] ?? "westeurope";
    if (g % 25 === 0) {
      vnet = `vnet-${g}`;
      const subnets = ["frontend", "backend", "data", "AzureBastionSubnet"];
      subnetIds = subnets.map((s) => `${idOf(rg, "Microsoft.Network/virtualNetworks", vnet)}/subnets/${s}`);
      nsg = add(rg, "Microsoft.Network/networkSecurityGroups", `nsg-${g}`, loc, {
        provisioningState: "Succeeded",
        resourceGuid: guid(),
        securityRules: Array.from({ length: 4 }, (_, i) => ({
          name: `rule-${i}`,
          id: `${idOf(rg, "Microsoft.Network/networkSecurityGroups", `nsg-${g}`)}/securityRules/rule-${i}`,
          etag: `W/"${guid()}"`,
          properties: {
            protocol: pick(["Tcp", "*"]),
            sourcePortRange: "*",
            destinationPortRange: String(pick([22, 443, 1433, 8080])),
            sourceAddressPrefix: pick(["VirtualNetwork", "Internet", "10.0.0.0/8"]),
            destinationAddressPrefix: "*",
            access: pick(["Allow", "Deny"]),
            priority: 100 + i * 10,
            direction: "Inbound",
          },
        })),
        subnets: subnetIds.slice(0, 3).map((id) => ({ id })),
      });
      vnetId = add(rg, "Microsoft.Network/virtualNetworks", vnet, loc, {
        provisioningState: "Succeeded",
        resourceGuid: guid(),
        addressSpace: { addressPrefixes: [`10.${g % 250}.0.0/16`] },
        subnets: subnets.map((s, i) => ({
          name: s,
          id: subnetIds[i],
          properties: {
            addressPrefix: `10.${g % 250}.${i}.0/24`,
            networkSecurityGroup: i < 3 ? { id: nsg } : undefined,
            privateEndpointNetworkPolicies: "Disabled",
          },
        })),
        enableDdosProtection: false,
      });
      subnets.forEach((s, i) => {
        const key = add(rg, "Microsoft.Network/virtualNetworks/subnets", `${vnet}/${s}`, loc, {
          addressPrefix: `10.${g % 250}.${i}.0/24`,
          provisioningState: "Succeeded",
        });
        edge(key, vnetId, "contains", "id");
        if (i < 3) edge(key, nsg, "security", "properties.networkSecurityGroup.id");
      });
      plan = add(
        rg,
        "Microsoft.Web/serverfarms",
        `plan-${g}`,
        loc,
        { status: "Ready", maximumNumberOfWorkers: 30, numberOfSites: 4, perSiteScaling: false, zoneRedundant: false, reserved: true },
        { kind: "linux", sku: { name: "P1v3", tier: "PremiumV3", capacity: 2 } },
      );
      sqlServer = add(rg, "Microsoft.Sql/servers", `sql-${g}`, loc, {
        administratorLogin: "sqladmin",
        version: "12.0",
        state: "Ready",
        fullyQualifiedDomainName: `sql-${g}-${hex(6)}.database.windows.net`,
        publicNetworkAccess: "Disabled",
        minimalTlsVersion: "1.2",
      });
    }
    // One application slice: a VM with its NIC, disks and public IP; a web app; a database; a vault; an identity.
    const vmName = `vm-${g}`;
    const identity = add(rg, "Microsoft.ManagedIdentity/userAssignedIdentities", `id-${g}`, loc, {
      tenantId: guid(),
      principalId: guid(),
      clientId: guid(),
    });
    const osDisk = add(
      rg,
      "Microsoft.Compute/disks",
      `${vmName}_OsDisk_1_${hex(32)}`,
      loc,
      {
        creationData: {
          createOption: "FromImage",
          imageReference: {
            id: `/Subscriptions/${sub}/Providers/Microsoft.Compute/Locations/${loc}/Publishers/canonical/ArtifactTypes/VMImage/Offers/0001-com-ubuntu-server-jammy/Skus/22_04-lts-gen2/Versions/22.04.202401010`,
          },
        },
        diskSizeGB: 30,
        diskIOPSReadWrite: 120,
        diskMBpsReadWrite: 25,
        encryption: { type: "EncryptionAtRestWithPlatformKey" },
        networkAccessPolicy: "AllowAll",
        timeCreated: created(),
        provisioningState: "Succeeded",
        diskState: "Attached",
        diskSizeBytes: 32213303296,
        uniqueId: guid(),
        managedBy: idOf(rg, "Microsoft.Compute/virtualMachines", vmName),
      },
      { sku: { name: "Premium_LRS", tier: "Premium" } },
    );
    const pip = add(
      rg,
      "Microsoft.Network/publicIPAddresses",
      `pip-${g}`,
      loc,
      {
        provisioningState: "Succeeded",
        resourceGuid: guid(),
        ipAddress: `20.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
        publicIPAddressVersion: "IPv4",
        publicIPAllocationMethod: "Static",
        idleTimeoutInMinutes: 4,
        ipTags: [],
      },
      { sku: { name: "Standard", tier: "Regional" } },
    );
    const subnetId = subnetIds[g % 3] ?? "";
    const nicName = `nic-${g}`;
    const nic = add(rg, "Microsoft.Network/networkInterfaces", nicName, loc, {
      provisioningState: "Succeeded",
      resourceGuid: guid(),
      ipConfigurations: [
        {
          name: "ipconfig1",
          id: `${idOf(rg, "Microsoft.Network/networkInterfaces", nicName)}/ipConfigurations/ipconfig1`,
          etag: `W/"${guid()}"`,
          type: "Microsoft.Network/networkInterfaces/ipConfigurations",
          properties: {
            provisioningState: "Succeeded",
            privateIPAddress: `10.${g % 250}.${g % 3}.${4 + (g % 250)}`,
            privateIPAllocationMethod: "Dynamic",
            publicIPAddress: { id: pip },
            subnet: { id: subnetId },
            primary: true,
            privateIPAddressVersion: "IPv4",
          },
        },
      ],
      dnsSettings: { dnsServers: [], appliedDnsServers: [], internalDomainNameSuffix: `${hex(26)}.ax.internal.cloudapp.net` },
      macAddress: `00-0D-3A-${hex(2)}-${hex(2)}-${hex(2)}`.toUpperCase(),
      enableAcceleratedNetworking: true,
      enableIPForwarding: false,
      networkSecurityGroup: { id: nsg },
      primary: true,
      virtualMachine: { id: idOf(rg, "Microsoft.Compute/virtualMachines", vmName) },
      nicType: "Standard",
    });
    edge(nic, subnetId.toLowerCase(), "network", "properties.ipConfigurations[0].properties.subnet.id");
    edge(nic, pip, "network", "properties.ipConfigurations[0].properties.publicIPAddress.id");
    edge(nic, nsg, "security", "properties.networkSecurityGroup.id");
    const vm = add(
      rg,
      "Microsoft.Compute/virtualMachines",
      vmName,
      loc,
      {
        vmId: guid(),
        hardwareProfile: { vmSize: pick(["Standard_D2s_v5", "Standard_D4s_v5", "Standard_E4s_v5", "Standard_B2ms"]) },
        storageProfile: {
          imageReference: {
            publisher: "canonical",
            offer: "0001-com-ubuntu-server-jammy",
            sku: "22_04-lts-gen2",
            version: "latest",
            exactVersion: "22.04.202401010",
          },
          osDisk: {
            osType: "Linux",
            name: osDisk.split("/").pop(),
            createOption: "FromImage",
            caching: "ReadWrite",
            managedDisk: { storageAccountType: "Premium_LRS", id: osDisk },
            deleteOption: "Delete",
            diskSizeGB: 30,
          },
          dataDisks: [],
        },
        osProfile: {
          computerName: vmName,
          adminUsername: "azureuser",
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: `ssh-rsa ${b64(279)} generated-by-azure` }] },
            provisionVMAgent: true,
            patchSettings: { patchMode: "ImageDefault", assessmentMode: "ImageDefault" },
          },
          secrets: [],
          allowExtensionOperations: true,
        },
        networkProfile: { networkInterfaces: [{ id: nic, properties: { deleteOption: "Delete" } }] },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        provisioningState: "Succeeded",
        timeCreated: created(),
      },
      {
        identity: { type: "UserAssigned", userAssignedIdentities: { [identity]: { principalId: guid(), clientId: guid() } } },
        zones: [String(1 + (g % 3))],
      },
    );
    edge(vm, nic, "network", "properties.networkProfile.networkInterfaces[0].id");
    edge(vm, osDisk, "data", "properties.storageProfile.osDisk.managedDisk.id");
    edge(vm, identity, "identity", "identity.userAssignedIdentities");
    const site = add(
      rg,
      "Microsoft.Web/sites",
      `app-${g}-${hex(4)}`,
      loc,
      {
        state: "Running",
        hostNames: [`app-${g}.azurewebsites.net`],
        enabledHostNames: [`app-${g}.azurewebsites.net`, `app-${g}.scm.azurewebsites.net`],
        serverFarmId: plan,
        siteConfig: {
          linuxFxVersion: pick(["NODE|20-lts", "DOTNETCORE|8.0", "PYTHON|3.12"]),
          alwaysOn: true,
          http20Enabled: true,
          minTlsVersion: "1.2",
          ftpsState: "Disabled",
          numberOfWorkers: 1,
        },
        httpsOnly: true,
        virtualNetworkSubnetId: subnetIds[0],
        outboundIpAddresses: Array.from(
          { length: 6 },
          () => `20.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
        ).join(","),
        defaultHostName: `app-${g}.azurewebsites.net`,
        customDomainVerificationId: hex(64).toUpperCase(),
        keyVaultReferenceIdentity: identity,
      },
      { kind: "app,linux", identity: { type: "UserAssigned", userAssignedIdentities: { [identity]: {} } } },
    );
    edge(site, plan, "hosting", "properties.serverFarmId");
    edge(site, (subnetIds[0] ?? "").toLowerCase(), "network", "properties.virtualNetworkSubnetId");
    edge(site, identity, "identity", "identity.userAssignedIdentities");
    const db = add(
      rg,
      "Microsoft.Sql/servers/databases",
      `${sqlServer.split("/").pop()}/db-${g}`,
      loc,
      {
        collation: "SQL_Latin1_General_CP1_CI_AS",
        maxSizeBytes: 34359738368,
        status: "Online",
        databaseId: guid(),
        creationDate: created(),
        currentServiceObjectiveName: "GP_Gen5_2",
        requestedBackupStorageRedundancy: "Geo",
        zoneRedundant: false,
        readScale: "Disabled",
      },
      { sku: { name: "GP_Gen5", tier: "GeneralPurpose", family: "Gen5", capacity: 2 }, kind: "v12.0,user,vcore" },
    );
    edge(db, sqlServer, "contains", "id");
    const vault = add(rg, "Microsoft.KeyVault/vaults", `kv-${g}-${hex(6)}`, loc, {
      tenantId: guid(),
      sku: { family: "A", name: "standard" },
      accessPolicies: [],
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      vaultUri: `https://kv-${g}.vault.azure.net/`,
      provisioningState: "Succeeded",
      publicNetworkAccess: "Disabled",
    });
    edge(site, vault, "reference", "properties.keyVaultReferenceIdentity");
  }
  resources.length = count;
  const keys = new Set(resources.map((r) => r.key));
  const kept = edges.filter((e) => keys.has(e.from) && keys.has(e.to));
  return {
    version: 1,
    runId: `bench-${count}`,
    startedAt: "2026-01-02T03:00:00.000Z",
    finishedAt: "2026-01-02T03:04:00.000Z",
    scope: { subscriptions: [sub] },
    resources,
    external: [],
    edges: kept,
    errors: [],
    stats: { durationMs: 240_000, requests: Math.ceil(count / 100), throttled: 0, retries: 0, resources: count, edges: kept.length },
  };
}

// ---------------------------------------------------------------- measurements

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function hitLatency(store: Store): Promise<{ p50: number; p99: number }> {
  const cache = store.cache("latency", { generational: true });
  const opts = {
    key: ["impact", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"],
    ttlMs: 600_000,
    schema: z.object({ n: z.number() }),
  };
  await cache.cached(async () => ({ n: 1 }), opts);
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t = performance.now();
    await cache.cached(async () => ({ n: 1 }), opts);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

interface SnapshotFigures {
  writeMs: number;
  /** The graph read: what a query instance waits for before its first answer (format 2: the index only). */
  readMs: number;
  /** The graph read and then every payload block fetched and checked. */
  payloadsMs: number;
  /** The whole export read back (diffs, full exports). */
  wholeReadMs: number;
  storedBytes: number;
  rawBytes: number;
  /** Compressed bytes of the graph index (format 2), or of everything (format 1). */
  indexBytes: number;
  chunks: number;
}

/** Writes then reads `exp` back, `runs` times; the best time of each (the machine is shared, so noise only adds). */
async function snapshotRoundTrip(store: Store, exp: TopologyExport, runs = 2): Promise<SnapshotFigures> {
  const scope = `bench-${exp.resources.length}`;
  let best: SnapshotFigures | undefined;
  for (let run = 0; run < runs; run++) {
    let t = performance.now();
    const { manifest } = await store.snapshots.write(scope, exp);
    const writeMs = performance.now() - t;
    t = performance.now();
    const graph = await store.snapshots.readGraph(scope);
    const readMs = performance.now() - t;
    await graph?.payloads.at([exp.resources.length - 1]);
    const payloadsMs = performance.now() - t;
    if (graph?.columns.resources.length !== exp.resources.length || graph.manifest.writeId !== manifest.writeId)
      throw new Error("snapshot graph did not round-trip");
    t = performance.now();
    const read = await store.snapshots.read(scope);
    const wholeReadMs = performance.now() - t;
    if (read?.export.resources.length !== exp.resources.length || read.manifest.writeId !== manifest.writeId)
      throw new Error("snapshot did not round-trip");
    best = {
      writeMs: Math.min(writeMs, best?.writeMs ?? Infinity),
      readMs: Math.min(readMs, best?.readMs ?? Infinity),
      payloadsMs: Math.min(payloadsMs, best?.payloadsMs ?? Infinity),
      wholeReadMs: Math.min(wholeReadMs, best?.wholeReadMs ?? Infinity),
      storedBytes: manifest.storedBytes,
      rawBytes: manifest.rawBytes,
      indexBytes: manifest.version === 2 ? manifest.indexBytes : manifest.storedBytes,
      chunks: manifest.chunks,
    };
  }
  if (best === undefined) throw new Error("no runs");
  return best;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const mb = (v: number): string => `${(v / 1e6).toFixed(2)} MB`;

/** Runs the benchmark; `--quick` uses 1,000 and 10,000 resources instead of 10,000 and 100,000. */
export default async function cacheBench(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const sizes = quick ? [1_000, 10_000] : [10_000, 100_000];
  const stack = await startUpstashStack({ maxRequestBytes: CHUNK_BYTES });
  const log = createLogger({ write: () => {} });
  const base: StoreSettings = {
    CACHE_TIMEOUT_MS: 250,
    CACHE_MAX_ENTRIES: 100_000,
    SNAPSHOT_CHUNK_BYTES: CHUNK_BYTES,
    SNAPSHOT_KEEP: 3,
    UPSTASH_REDIS_REST_URL: undefined,
    UPSTASH_REDIS_REST_TOKEN: undefined,
  };
  const overrides = { prefix: "bench", snapshots: { bulkTimeoutMs: 60_000 } };
  const bridged = createStore({ ...base, UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token }, log, overrides);
  const memory = createStore(base, log, overrides);
  // The baseline: the format earlier versions wrote (JSON lines, read whole before any answer).
  const format1 = createStore({ ...base, UPSTASH_REDIS_REST_URL: stack.url, UPSTASH_REDIS_REST_TOKEN: stack.token }, log, {
    ...overrides,
    prefix: "bench-f1",
    snapshots: { ...overrides.snapshots, format: 1 },
  });
  try {
    // Round trips per cached read, counted at the bridge.
    const schema = z.object({ n: z.number() });
    const queries = bridged.cache("queries", { generational: true });
    const plain = bridged.cache("api-versions");
    await queries.cached(async () => ({ n: 1 }), { key: "q", ttlMs: 600_000, schema });
    await plain.cached(async () => ({ n: 1 }), { key: "p", ttlMs: 600_000, schema });
    stack.bridge.resetStats();
    for (let i = 0; i < READS; i++) await queries.cached(async () => ({ n: 1 }), { key: "q", ttlMs: 600_000, schema });
    const roundTripsPerCachedRead = stack.bridge.stats().requests / READS;
    stack.bridge.resetStats();
    for (let i = 0; i < READS; i++) await plain.cached(async () => ({ n: 1 }), { key: "p", ttlMs: 600_000, schema });
    const roundTripsPerPlainRead = stack.bridge.stats().requests / READS;
    for (let i = 0; i < 100; i++) await queries.cached(async () => ({ n: i }), { key: `c${i}`, ttlMs: 600_000, schema });
    stack.bridge.resetStats();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => queries.cached(async () => ({ n: i }), { key: `c${i}`, ttlMs: 600_000, schema })),
    );
    const roundTripsPer100Concurrent = stack.bridge.stats().requests;

    const bridgeHit = await hitLatency(bridged);
    const memoryHit = await hitLatency(memory);
    process.stdout.write(
      `round trips per cached read: generational ${roundTripsPerCachedRead}, plain ${roundTripsPerPlainRead}; 100 concurrent reads: ${roundTripsPer100Concurrent} round trips\n`,
    );
    process.stdout.write(
      `hit latency p50/p99: bridge ${ms(bridgeHit.p50)} / ${ms(bridgeHit.p99)}, in-memory ${ms(memoryHit.p50)} / ${ms(memoryHit.p99)}\n`,
    );

    const figures: Record<number, { bridge: SnapshotFigures; memory: SnapshotFigures; format1: SnapshotFigures }> = {};
    for (const size of sizes) {
      const exp = generateExport(size);
      const bridge = await snapshotRoundTrip(bridged, exp);
      const mem = await snapshotRoundTrip(memory, exp);
      const f1 = await snapshotRoundTrip(format1, exp);
      figures[size] = { bridge, memory: mem, format1: f1 };
      process.stdout.write(
        `snapshot ${size.toLocaleString("en")} resources, ${exp.edges.length.toLocaleString("en")} edges: raw ${mb(bridge.rawBytes)}, stored ${mb(bridge.storedBytes)} in ${bridge.chunks} chunks (index ${mb(bridge.indexBytes)}); ` +
          `bridge write ${ms(bridge.writeMs)}, graph read ${ms(bridge.readMs)}, payloads ready ${ms(bridge.payloadsMs)}, whole read ${ms(bridge.wholeReadMs)}; ` +
          `in-memory write ${ms(mem.writeMs)}, graph read ${ms(mem.readMs)}, whole read ${ms(mem.wholeReadMs)}; ` +
          `format 1 over the bridge: write ${ms(f1.writeMs)}, read ${ms(f1.wholeReadMs)}, stored ${mb(f1.storedBytes)}\n`,
      );
    }
    const [small, large] = sizes.map((s) => figures[s]!);
    const tag = quick ? "10k" : "100k";
    const smallTag = quick ? "1k" : "10k";
    printResult("cache", {
      roundTripsPerCachedRead,
      roundTripsPerPlainRead,
      roundTripsPer100Concurrent,
      hitP50BridgeMs: bridgeHit.p50,
      hitP50MemoryMs: memoryHit.p50,
      hitLatencyRatio: bridgeHit.p50 / Math.max(memoryHit.p50, 1e-6),
      [`snapshotWriteMs${smallTag}`]: small!.bridge.writeMs,
      [`snapshotReadMs${smallTag}`]: small!.bridge.readMs,
      [`snapshotBytes${smallTag}`]: small!.bridge.storedBytes,
      [`snapshotWriteMs${tag}`]: large!.bridge.writeMs,
      [`snapshotReadMs${tag}`]: large!.bridge.readMs,
      [`snapshotReadMsMemory${tag}`]: large!.memory.readMs,
      [`snapshotPayloadsMs${tag}`]: large!.bridge.payloadsMs,
      [`snapshotWholeReadMs${tag}`]: large!.bridge.wholeReadMs,
      [`snapshotIndexBytes${tag}`]: large!.bridge.indexBytes,
      [`snapshotBytes${tag}`]: large!.bridge.storedBytes,
      [`format1WriteMs${tag}`]: large!.format1.writeMs,
      [`format1ReadMs${tag}`]: large!.format1.wholeReadMs,
      [`format1Bytes${tag}`]: large!.format1.storedBytes,
      [`readRatioVsFormat1${tag}`]: large!.bridge.readMs / large!.format1.wholeReadMs,
      [`snapshotChunks${tag}`]: large!.bridge.chunks,
      [`snapshotRawBytes${tag}`]: large!.bridge.rawBytes,
    });
  } finally {
    await stack.stop();
  }
}
