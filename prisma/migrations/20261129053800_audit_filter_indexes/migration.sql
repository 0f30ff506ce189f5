-- CreateIndex
CREATE INDEX "audit_entry_incident_id_actor_id_id_idx" ON "audit_entry"("incident_id", "actor_id", "id");

-- CreateIndex
CREATE INDEX "audit_entry_incident_id_action_id_idx" ON "audit_entry"("incident_id", "action", "id");

-- CreateIndex
CREATE INDEX "audit_entry_incident_id_entity_type_id_idx" ON "audit_entry"("incident_id", "entity_type", "id");
