/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is untyped; these tests check its shape field by field */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

// Offline validation of deploy/k8s: no cluster and no schema download are available here, so
// the test checks the structure that matters for Seqlane by hand.
const dir = join(import.meta.dirname, "..", "..", "deploy", "k8s");
type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: any;
  data?: Record<string, string>;
};

function load(): Obj[] {
  const kustomization = parseAllDocuments(readFileSync(join(dir, "kustomization.yaml"), "utf8"))[0]?.toJS() as {
    resources: string[];
  };
  return kustomization.resources.flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => {
      expect(d.errors, f).toEqual([]);
      return d.toJS() as Obj;
    }),
  );
}

function kubectlAvailable(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("deploy/k8s", () => {
  const objs = load();
  const byKind = (k: string) => objs.filter((o) => o.kind === k);

  it("lists every manifest file in the kustomization", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    const listed = (parseAllDocuments(readFileSync(join(dir, "kustomization.yaml"), "utf8"))[0]?.toJS() as any)
      .resources;
    expect([...listed].sort()).toEqual(files.sort());
  });

  it("gives every object apiVersion, kind and a DNS-1123 name", () => {
    for (const o of objs) {
      expect(o.apiVersion, JSON.stringify(o.metadata)).toMatch(/^[a-z0-9./]+$/);
      expect(o.kind).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(o.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it("runs ingest, scorer and recorder with probes, resources and matching selectors", () => {
    const deployments = byKind("Deployment");
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual([
      "seqlane-ingest",
      "seqlane-recorder",
      "seqlane-scorer",
    ]);
    for (const d of deployments) {
      const labels = d.spec.template.metadata.labels;
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(labels[k]).toBe(v);
      for (const c of d.spec.template.spec.containers) {
        expect(c.readinessProbe?.httpGet?.path, d.metadata?.name).toMatch(/^\/(healthz|readyz)$/);
        expect(c.resources?.requests?.cpu).toBeDefined();
        expect(c.resources?.requests?.memory).toBeDefined();
        const portNames = (c.ports ?? []).map((p: any) => p.name);
        expect(portNames).toContain(c.readinessProbe.httpGet.port);
        const mounts = (c.volumeMounts ?? []).map((m: any) => m.name);
        const volumes = (d.spec.template.spec.volumes ?? []).map((v: any) => v.name);
        for (const m of mounts) expect(volumes).toContain(m);
      }
    }
  });

  it("keeps ingest replicas within the partition count of behavior-events", () => {
    const topics = JSON.parse(readFileSync(join(dir, "..", "..", "infra", "kafka", "topics.json"), "utf8"));
    const list: any[] = Array.isArray(topics) ? topics : topics.topics;
    const partitions = list.find((t) => t.name === "behavior-events")?.partitions;
    const ingest = byKind("Deployment").find((d) => d.metadata?.name === "seqlane-ingest");
    expect(partitions).toBeGreaterThan(0);
    expect(ingest?.spec.replicas).toBeLessThanOrEqual(partitions);
  });

  it("autoscales the scorer and points the HPA at an existing Deployment", () => {
    const [hpa] = byKind("HorizontalPodAutoscaler");
    expect(hpa?.spec.scaleTargetRef.kind).toBe("Deployment");
    expect(byKind("Deployment").map((d) => d.metadata?.name)).toContain(hpa?.spec.scaleTargetRef.name);
    expect(hpa?.spec.minReplicas).toBeLessThanOrEqual(hpa?.spec.maxReplicas);
  });

  it("references only ConfigMaps and PVCs that the kustomization creates", () => {
    const configMaps = byKind("ConfigMap").map((c) => c.metadata?.name);
    const pvcs = byKind("PersistentVolumeClaim").map((c) => c.metadata?.name);
    for (const d of byKind("Deployment")) {
      const pod = d.spec.template.spec;
      for (const c of pod.containers)
        for (const e of c.envFrom ?? []) expect(configMaps).toContain(e.configMapRef.name);
      for (const v of pod.volumes ?? []) {
        if (v.configMap) expect(configMaps).toContain(v.configMap.name);
        if (v.persistentVolumeClaim) expect(pvcs).toContain(v.persistentVolumeClaim.claimName);
      }
    }
  });

  it.runIf(kubectlAvailable())("renders with kubectl kustomize", () => {
    const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
    const kinds = parseAllDocuments(out).map((d) => (d.toJS() as Obj).kind);
    expect(kinds.length).toBe(objs.length);
  });
});
