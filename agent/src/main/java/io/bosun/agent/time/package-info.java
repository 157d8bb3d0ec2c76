/** Time arithmetic shared by the sync path: saturating grace periods and timeouts. */
package io.bosun.agent.time;
