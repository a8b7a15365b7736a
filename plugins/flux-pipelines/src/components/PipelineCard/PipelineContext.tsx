import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createContext, ReactNode, useContext } from 'react';
import { PipelineRef } from '../../api/FluxPipelinesApi';

/** What the parts of a pipeline card share: which pipeline, for which entity, and how to act. */
export interface PipelineContextValue {
  pipeline: PipelineRef;
  /** The catalog entity the card is on; permissions are checked against it. */
  entityRef: string;
  /** Clusters the backend cannot reach, by name. */
  unreachable: Map<string, ClusterHealth>;
  /** Reload the pipeline after an action changed it. */
  refresh: () => void;
  /** Open the event timeline of an environment, optionally of one target. */
  openEvents: (environment: string, target?: TargetKey) => void;
}

/** One target of an environment. */
export interface TargetKey {
  cluster: string;
  namespace: string;
}

const PipelineContext = createContext<PipelineContextValue | undefined>(
  undefined,
);

export const PipelineContextProvider = ({
  value,
  children,
}: {
  value: PipelineContextValue;
  children: ReactNode;
}) => (
  <PipelineContext.Provider value={value}>{children}</PipelineContext.Provider>
);

/** The surrounding pipeline card's context. */
export function usePipelineContext(): PipelineContextValue {
  const value = useContext(PipelineContext);
  if (!value) {
    throw new Error('usePipelineContext must be used inside a PipelineCard');
  }
  return value;
}
