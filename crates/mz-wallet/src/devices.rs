//! This device's own enrolment while it is pending, and the holder's devices: the list,
//! approving a new one and removing one, each behind the PIN.

use crate::{Result, Wallet};
use mz_core::api::*;
use mz_core::flow::{DeviceConfirmation, DeviceState};
use serde::{Deserialize, Serialize};

/// A device that waits for confirmation: the ways it can be confirmed, and the one-time code
/// it shows (as a QR code) at a counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingEnrolment {
    pub confirm_by: Vec<DeviceConfirmation>,
    pub counter_code: String,
    pub counter_code_expires_at: i64,
}

impl PendingEnrolment {
    pub fn of(r: &EnrolResponse) -> PendingEnrolment {
        PendingEnrolment {
            confirm_by: r.confirm_by.clone(),
            counter_code: r.counter_code.clone(),
            counter_code_expires_at: r.counter_code_expires_at,
        }
    }
}

impl Wallet {
    /// This device's state as last seen from the hub (none before enrolment).
    pub fn device_state(&self) -> Option<DeviceState> {
        self.state.profile.as_ref().map(|p| p.device_state)
    }

    /// While this device is pending: how to confirm it.
    pub fn pending_enrolment(&self) -> Option<&PendingEnrolment> {
        self.state
            .enrolment
            .as_ref()
            .filter(|_| self.device_state() != Some(DeviceState::Active))
    }

    /// The holder's devices, this one marked.
    pub async fn devices(&self) -> Result<DeviceList> {
        self.device()?;
        Ok(self.client.devices().await?)
    }

    /// Approve a new device of mine, behind the PIN.
    pub async fn approve_device(&mut self, key_id: &str, pin: &str) -> Result<DeviceList> {
        self.device()?;
        self.check_pin(pin).await?;
        Ok(self.client.approve_device(key_id).await?)
    }

    /// Remove one of my devices (a lost phone, or a new device that is not mine), behind the
    /// PIN. Removing this device leaves it refused by the hub until it enrols again.
    pub async fn remove_device(&mut self, key_id: &str, pin: &str) -> Result<DeviceList> {
        self.device()?;
        self.check_pin(pin).await?;
        Ok(self.client.remove_device(key_id).await?)
    }
}
