/** Kubernetes-style status conditions, the way fluxcd/pkg/runtime/conditions sets them. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export function setCondition(
  status: { conditions?: Condition[] },
  next: Omit<Condition, 'lastTransitionTime'>,
  now: string,
) {
  const list = (status.conditions ??= []);
  const i = list.findIndex(c => c.type === next.type);
  const keepTime = i >= 0 && list[i].status === next.status;
  const condition = {
    ...next,
    lastTransitionTime: keepTime ? list[i].lastTransitionTime : now,
  };
  if (i >= 0) list[i] = condition;
  else list.push(condition);
}

/** Reconciling True and Ready Unknown, reason Progressing: a Flux object at work. */
export function setProgressing(
  status: { conditions?: Condition[] },
  message: string,
  now: string,
) {
  for (const type of ['Reconciling', 'Ready'])
    setCondition(
      status,
      {
        type,
        status: type === 'Ready' ? 'Unknown' : 'True',
        reason: 'Progressing',
        message,
      },
      now,
    );
}

export function getCondition(
  status: { conditions?: Condition[] },
  type: string,
) {
  return status.conditions?.find(c => c.type === type);
}

export function deleteCondition(
  status: { conditions?: Condition[] },
  type: string,
) {
  if (status.conditions)
    status.conditions = status.conditions.filter(c => c.type !== type);
}

/**
 * Ready summarises Remediated (negative polarity), TestSuccess (when tests count) and Released:
 * any False wins, then Unknown, else the first True.
 */
export function summarizeReady(
  status: { conditions?: Condition[] },
  options: { testsCount: boolean; generation: number; now: string },
) {
  const remediated = getCondition(status, 'Remediated');
  const order = (
    options.testsCount ? ['TestSuccess', 'Released'] : ['Released']
  )
    .map(t => getCondition(status, t))
    .filter((c): c is Condition => !!c);
  const failed = order.find(c => c.status === 'False');
  const unknown = order.find(c => c.status === 'Unknown');
  let source: Condition | undefined = order[0];
  let ready: Condition['status'] = 'True';
  if (remediated && remediated.status !== 'Unknown')
    [source, ready] = [remediated, 'False'];
  else if (failed) [source, ready] = [failed, 'False'];
  else if (unknown) [source, ready] = [unknown, 'Unknown'];
  if (!source) return;
  setCondition(
    status,
    {
      type: 'Ready',
      status: ready,
      reason: source.reason,
      message: source.message,
      observedGeneration: options.generation,
    },
    options.now,
  );
}
