//! Snapshots (`evm_snapshot` / `evm_revert`): the whole chain data saved and restored.

use super::Chain;

impl Chain {
    /// Saves the whole chain; returns the snapshot id.
    pub fn snapshot(&mut self) -> u64 {
        let id = self.next_snapshot_id;
        self.next_snapshot_id += 1;
        self.snapshots.insert(id, self.data.clone());
        id
    }

    /// Restores snapshot `id`, dropping it and every later snapshot; false if it does not exist.
    pub fn revert(&mut self, id: u64) -> bool {
        let Some(data) = self.snapshots.remove(&id) else {
            return false;
        };
        self.snapshots.retain(|other, _| *other < id);
        self.data = data;
        self.changed = true;
        true
    }
}
