import type { ChangeTracker } from './flush.js';
import type { ArtifactRec, CollectionRec } from './model.js';
import { collectionKey, type StoreState } from './state.js';

// Artifact versions and their collections, persisted in the global file.

export function putArtifact(state: StoreState, changes: ChangeTracker, artifact: ArtifactRec): void {
  state.artifacts.set(artifact.id, artifact);
  changes.touchGlobal();
}

export function collectionOf(
  state: StoreState,
  entity: string,
  project: string,
  name: string,
): CollectionRec | undefined {
  return state.collections.get(collectionKey(entity, project, name));
}

export function putCollection(state: StoreState, changes: ChangeTracker, collection: CollectionRec): void {
  state.collections.set(collectionKey(collection.entity, collection.project, collection.name), collection);
  changes.touchGlobal();
}
