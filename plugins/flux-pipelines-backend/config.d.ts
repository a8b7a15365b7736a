export interface Config {
  /** Settings of the flux-pipelines backend plugin. */
  fluxPipelines?: {
    /**
     * Clusters added to (or overriding, by name) those of
     * `kubernetes.clusterLocatorMethods`. A cluster with only a name and a
     * webhook key receives Flux notification-controller webhooks and is not
     * watched.
     */
    clusters?: Array<{
      /** The cluster's name, as used by pipeline targets. */
      name: string;
      /** API server URL; omit for a webhook-only cluster. */
      url?: string;
      /** Only `serviceAccount` is supported. */
      authProvider?: 'serviceAccount';
      /**
       * Bearer token of a service account that may list and watch Flux objects and events.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /** Base64 PEM CA certificate of the API server. */
      caData?: string;
      /** Path of the API server's CA certificate. */
      caFile?: string;
      /** Skip TLS verification (and allow plain HTTP, as for the demo stand-in). */
      skipTLSVerify?: boolean;
      /** Which Event APIs to watch; default core only. */
      eventApis?: Array<'core' | 'events.k8s.io'>;
      /**
       * The HMAC key of the Flux `generic-hmac` provider posting to
       * `/api/flux-pipelines/webhook/<name>`. Mandatory for webhooks.
       * @visibility secret
       */
      webhookHmacKey?: string;
    }>;
    /** How versions are promoted between environments. */
    promotion?: {
      /**
       * Where promotions may write. A pipeline defined in app-config may use
       * a repository on an `integrations` host or under one of these URLs.
       * A pipeline defined by a cluster's Pipeline object may write only to
       * an entry written as an object, on a branch matching one of its
       * `branches` globs, editing only files matching its `paths` globs
       * (repository-relative; `*` within a segment, `**` across). A plain
       * URL string (or an object without `branches` or `paths`) allows
       * config-defined pipelines only. URLs compare normalised (scheme and
       * host case, trailing `.git` and `/`; local paths as absolute paths).
       * Default: none.
       * @visibility backend
       */
      repositories?: Array<
        | string
        | {
            /** The repository's clone URL, or a local path / file:// URL. */
            url: string;
            /** Branch globs a cluster-defined pipeline may write to (the base branch of a pull request). */
            branches?: string[];
            /** File path globs a cluster-defined pipeline may edit, e.g. `apps/test/*.yaml`. */
            paths?: string[];
          }
      >;
      /**
       * The fields a cluster-defined pipeline's `path`/`field` selector may
       * change. Default: `spec.chart.spec.version`, `spec.ref.tag`,
       * `spec.ref.semver`.
       * @visibility backend
       */
      versionFields?: string[];
      /**
       * Let credentials (integration or `secretRef` tokens) go over plain
       * http to a loopback host (127.0.0.0/8, ::1, localhost), for local
       * stand-ins. Otherwise credentials go only over https (or ssh).
       * Default: false.
       * @visibility backend
       */
      allowInsecureHttp?: boolean;
      /** Where the notification strategy POSTs signed promotion events. */
      notification?: {
        url: string;
        /**
         * Key of the `X-Signature: sha256=<hex>` HMAC of the body. Without
         * it, the `hmac-key` of the Secret a Pipeline names by
         * `spec.promotion.strategy.secretRef` is used.
         * @visibility secret
         */
        hmacKey?: string;
      };
      /** Author of the commits of automatic promotions. */
      author?: { name?: string; email?: string };
      /** How often open pull requests are followed up; default 30. */
      followIntervalSeconds?: number;
      /**
       * Environments into which every promotion waits for approval, whatever
       * a pipeline (a Pipeline object or the settings below) says; rollbacks
       * too. An environment is protected when any of its targets matches an
       * entry (its cluster and/or namespace). None by default.
       */
      protectedEnvironments?: Array<{
        /** The target cluster; any when unset. */
        cluster?: string;
        /** The target namespace; any when unset. */
        namespace?: string;
        /**
         * The approver must be someone other than the person who asked for
         * the promotion (automatic promotions are asked by the pipeline).
         * Default true.
         */
        separateApprover?: boolean;
      }>;
      /**
       * Promotion settings per pipeline, overriding those of its Pipeline
       * object (same shape as its `spec.promotion`, plus `commit`).
       */
      pipelines?: Array<{
        /** `<namespace>/<name>` of the pipeline. */
        pipeline: string;
        /** Promotions wait for approval. */
        manual?: boolean;
        /** Promote versions that succeeded upstream without being asked; default true. */
        automatic?: boolean;
        /** One of `pull-request`, `commit` or `notification`. */
        strategy?: {
          'pull-request'?: {
            type: 'github' | 'gitlab' | 'bitbucket-server';
            url: string;
            baseBranch: string;
            path?: string;
            field?: string;
          };
          commit?: {
            url: string;
            branch?: string;
            path?: string;
            field?: string;
          };
          notification?: {};
        };
        /** Per-environment settings (for promotions into that environment). */
        environments?: Array<{
          name: string;
          manual?: boolean;
          automatic?: boolean;
          /**
           * Automatic rollback (a Pipeline object may set it too, under
           * `promotion.rollback`; this setting wins). With
           * `automatic: true`, when a version promoted into this environment
           * by the plugin fails there (failed release, Helm rollback, or an
           * object listed by the NEXT environment's health gate failing
           * within that gate's `soak`: never without a soak), the
           * previous known-good version is promoted back with the
           * environment's strategy (once), automatic promotion into the
           * environment is held, and the owners are notified. A failed
           * Flagger canary counts only with `onCanaryFailure: true` as well
           * (default false), and only a canary in the target's own namespace
           * that follows the release (label `helm.toolkit.fluxcd.io/name`):
           * whoever may create a Canary there can make one fail; or a Canary
           * that health gate lists by name. Default: off.
           * @visibility backend
           */
          rollback?: { automatic?: boolean; onCanaryFailure?: boolean };
          strategy?: {
            'pull-request'?: {
              type: 'github' | 'gitlab' | 'bitbucket-server';
              url: string;
              baseBranch: string;
              path?: string;
              field?: string;
            };
            commit?: {
              url: string;
              branch?: string;
              path?: string;
              field?: string;
            };
            notification?: {};
          };
          /**
           * Gates every promotion into this environment must pass (manual,
           * automatic and approvals alike; rollbacks have none). A
           * Pipeline object may add gates (`spec.environments[].gates`, same
           * shape) but never weaken these: the longer soak and every window
           * set apply. A user with `flux-pipelines.promotion.override` may
           * promote through a refusing gate with `override: true` (audited).
           * Default: no gates.
           * @visibility backend
           */
          gates?: {
            /**
             * Soak time, a Go duration (`30m`, `1h30m`): the version ran
             * successfully on every target of the previous environment for
             * at least this long, and still runs there without failing.
             */
            soak?: string;
            /**
             * Health: every target of the previous environment runs the
             * version, Ready as its status confirms. With `canary: true`, the
             * Flagger canaries following the app there must have succeeded
             * for the version (a failed canary refuses, one analysing waits;
             * a target without a canary passes unless `required: true`).
             * `objects` lists Flux or Flagger objects on each cluster of the
             * previous environment that must be healthy too: a Kustomization
             * (Ready, its last health check passed), a HelmRelease (Ready),
             * a Canary (`Succeeded` for the version); `namespace` defaults to
             * the target's. Only the objects listed count (never a same-named
             * one elsewhere). Default: off.
             */
            health?: {
              canary?: boolean;
              required?: boolean;
              objects?: Array<{
                kind: 'Kustomization' | 'HelmRelease' | 'Canary';
                name: string;
                namespace?: string;
              }>;
            };
            /**
             * Deploy windows: one set or a list of sets, each of which must
             * allow. A window opens at every match of `start` (5-field cron:
             * minute hour day-of-month month day-of-week, in `timeZone`) and
             * stays open for `duration` (Go duration). Promotions only while
             * an `allow` window is open (any time when none is listed), never
             * while a `deny` window (freeze) is. E.g. weekdays 09:00-17:00:
             * `allow: [{ start: '0 9 * * 1-5', duration: 8h }]`.
             */
            windows?:
              | {
                  /** IANA time zone, default `UTC`. */
                  timeZone?: string;
                  allow?: Array<{ start: string; duration: string }>;
                  deny?: Array<{ start: string; duration: string }>;
                }
              | Array<{
                  timeZone?: string;
                  allow?: Array<{ start: string; duration: string }>;
                  deny?: Array<{ start: string; duration: string }>;
                }>;
          };
        }>;
      }>;
    };
    /**
     * How long the observation log is kept. A daily task (on one replica)
     * deletes older observations; deployments, the history, are kept.
     */
    retention?: {
      observations?: {
        /**
         * Observations older than this many days are deleted; default 90.
         * Flagger canary phases (but each canary's latest revision) and the
         * records of notifications sent follow the same days.
         */
        days?: number;
      };
    };
    /**
     * The in-memory read model the pipelines pages answer from: each
     * target's working set of deployments, checked against the database's
     * per-object change counters on every request (so it is never older than
     * the last committed change, on any replica).
     * @visibility backend
     */
    readModel?: {
      /** Whether the pages answer from memory; default true. */
      enabled?: boolean;
      /**
       * Most objects (targets) whose working sets are kept, the least
       * recently asked for dropped first; default 10000 (~7 kB each, so
       * ~70 MB at most).
       */
      maxTargets?: number;
    };
    /**
     * What counts as evidence that a version was deployed. Events are
     * writable by anyone who may create Events in a namespace, so an event
     * counts only when the controller that owns the object's kind reports it,
     * and a success counts as deployed (and promotable) only once the
     * object's own status confirms it.
     * @visibility backend
     */
    evidence?: {
      /**
       * Per kind, the controller names whose events count (core/v1
       * `source.component` / `reportingComponent`, events.k8s.io/v1
       * `reportingController`, webhook `reportingController` and
       * `Gotk-Component`). Set these for renamed Flux deployments. Defaults:
       * HelmRelease `[helm-controller]`, Kustomization `[kustomize-controller]`.
       * @visibility backend
       */
      controllers?: {
        /** @visibility backend */
        HelmRelease?: string[];
        /** @visibility backend */
        Kustomization?: string[];
      };
      /**
       * Clusters whose owning-controller events count as confirmed without
       * the object's status: webhook-only clusters, whose objects the
       * backend cannot read. Anyone able to post to that cluster's
       * notification-controller can then make a version look deployed.
       * Default: none (every success waits for the status).
       * @visibility backend
       */
      eventOnlyClusters?: string[];
    };
    /**
     * Backstage notifications of pipeline states: an approval waiting (to the
     * owners of the pipeline's catalog entities and the approvers), a
     * promotion failed, a deployment failed or rolled back, a pull request
     * opened (to the owners). Each state is notified once.
     * @visibility backend
     */
    notifications?: {
      /**
       * True: on, also when the notifications backend runs in another
       * backend (found through discovery); false: off. Default: on when this
       * backend has `@backstage/plugin-notifications-backend`, else off.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Users and groups (`user:` / `group:` entity refs) told of every
       * promotion waiting for approval, besides the owners. Default: none.
       * @visibility backend
       */
      approvers?: string[];
    };
    /** A local kubeconfig for development: every context becomes a cluster. */
    kubeconfig?: string;
    /**
     * Where Weave GitOps `Pipeline` objects (`pipelines.weave.works/v1alpha1`)
     * are trusted to define pipelines: the clusters and namespaces named here
     * (the WGE management-cluster model). A Pipeline anywhere else is ignored,
     * logged once and listed in `GET /health` under its cluster. Without this
     * key no Pipeline object is trusted; clusters not named here are not asked
     * for Pipelines at all. When two clusters define a pipeline of the same
     * namespace and name, the cluster named first wins; `fluxPipelines.pipelines`
     * wins over every cluster.
     * @visibility backend
     */
    pipelineSources?: Array<{
      /**
       * A configured cluster's name.
       * @visibility backend
       */
      cluster: string;
      /**
       * The namespaces of that cluster whose Pipelines are trusted (exact names).
       * @visibility backend
       */
      namespaces: string[];
    }>;
    /**
     * Pipelines defined in configuration, with the same schema as the spec of a
     * Weave GitOps `Pipeline` (`pipelines.weave.works/v1alpha1`).
     */
    pipelines?: Array<{
      /** Namespace of the pipeline; defaults to `default`. */
      namespace?: string;
      /** Name of the pipeline. */
      name: string;
      /** The Flux object the pipeline deploys. */
      appRef: {
        apiVersion?: string;
        kind: 'HelmRelease' | 'Kustomization';
        name: string;
      };
      /** Environments in promotion order. */
      environments: Array<{
        name: string;
        targets: Array<{
          /** Namespace of the target. */
          namespace: string;
          /** Cluster of the target; defaults to the first configured cluster. */
          cluster?: string;
        }>;
      }>;
    }>;
  };
}
