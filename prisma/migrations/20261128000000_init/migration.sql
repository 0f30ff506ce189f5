-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "role" AS ENUM ('admin', 'responder', 'executive', 'agency');

-- CreateEnum
CREATE TYPE "lane" AS ENUM ('adversary', 'response');

-- CreateEnum
CREATE TYPE "phase" AS ENUM ('initial access', 'activity', 'detection', 'investigation', 'containment', 'mitigation', 'notification', 'post-incident');

-- CreateEnum
CREATE TYPE "precision" AS ENUM ('exact', 'minute', 'hour', 'day', 'month', 'year', 'approximate', 'range');

-- CreateEnum
CREATE TYPE "milestone" AS ENUM ('first activity', 'detection', 'containment', 'mitigation complete');

-- CreateEnum
CREATE TYPE "verification" AS ENUM ('primary', 'secondary', 'unverified');

-- CreateEnum
CREATE TYPE "tlp" AS ENUM ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED');

-- CreateEnum
CREATE TYPE "organization_kind" AS ENUM ('government', 'private sector', 'education', 'think tank', 'individuals group', 'undisclosed');

-- CreateEnum
CREATE TYPE "notification_state" AS ENUM ('pending', 'notified', 'delivered', 'acknowledged', 'remediated', 'closed', 'failed');

-- CreateEnum
CREATE TYPE "notification_channel" AS ENUM ('email', 'phone', 'portal', 'in person', 'government partner', 'other');

-- CreateEnum
CREATE TYPE "indicator_type" AS ENUM ('ipv4', 'ipv6', 'cidr', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'jarm', 'ja3', 'user-agent', 'cert-thumbprint', 'jwt-kid', 'uri-path', 'filename', 'asn', 'other');

-- CreateEnum
CREATE TYPE "finding_severity" AS ENUM ('informational', 'low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "finding_status" AS ENUM ('draft', 'confirmed', 'dismissed');

-- CreateEnum
CREATE TYPE "confidence" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "incident_status" AS ENUM ('open', 'closed');

-- CreateTable
CREATE TABLE "incident" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "actor" TEXT,
    "public_summary" TEXT NOT NULL,
    "status" "incident_status" NOT NULL DEFAULT 'open',
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "notification_deadline_hours" INTEGER NOT NULL DEFAULT 72,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sourced_figure" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "qualifier" TEXT,
    "source_url" TEXT NOT NULL,
    "source_date" DATE,
    "note" TEXT,

    CONSTRAINT "sourced_figure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_technique" (
    "incident_id" UUID NOT NULL,
    "technique_id" TEXT NOT NULL,
    "evidence" TEXT,
    "source_url" TEXT,

    CONSTRAINT "incident_technique_pkey" PRIMARY KEY ("incident_id","technique_id")
);

-- CreateTable
CREATE TABLE "affected_organization" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "is_named_publicly" BOOLEAN NOT NULL DEFAULT true,
    "kind" "organization_kind" NOT NULL,
    "sector" TEXT,
    "country" TEXT,
    "accounts_affected" INTEGER,
    "mailboxes_affected" INTEGER,
    "first_known_access_at" TIMESTAMPTZ(3),
    "last_known_access_at" TIMESTAMPTZ(3),
    "determined_affected_at" TIMESTAMPTZ(3) NOT NULL,
    "notification_state" "notification_state" NOT NULL DEFAULT 'pending',
    "notification_state_at" TIMESTAMPTZ(3),
    "internal_note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "affected_organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_move" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "from_state" "notification_state",
    "to_state" "notification_state" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "at_precision" "precision" NOT NULL DEFAULT 'exact',
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by_id" UUID,
    "made_by" TEXT,
    "channel" "notification_channel",
    "note" TEXT,
    "evidence" TEXT,
    "timeline_event_id" UUID,

    CONSTRAINT "notification_move_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_event" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "occurred_until" TIMESTAMPTZ(3),
    "precision" "precision" NOT NULL,
    "source_time_zone" TEXT,
    "lane" "lane" NOT NULL,
    "phase" "phase" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "source" TEXT NOT NULL,
    "verification" "verification" NOT NULL,
    "additional_sources" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tlp" "tlp" NOT NULL DEFAULT 'CLEAR',
    "milestone" "milestone",
    "internal_note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "timeline_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_alternative" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "occurred_until" TIMESTAMPTZ(3),
    "precision" "precision" NOT NULL,
    "source_time_zone" TEXT,
    "source" TEXT NOT NULL,
    "verification" "verification" NOT NULL,
    "note" TEXT,

    CONSTRAINT "event_alternative_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_organization" (
    "event_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,

    CONSTRAINT "event_organization_pkey" PRIMARY KEY ("event_id","organization_id")
);

-- CreateTable
CREATE TABLE "event_indicator" (
    "event_id" UUID NOT NULL,
    "indicator_id" UUID NOT NULL,

    CONSTRAINT "event_indicator_pkey" PRIMARY KEY ("event_id","indicator_id")
);

-- CreateTable
CREATE TABLE "event_technique" (
    "event_id" UUID NOT NULL,
    "technique_id" TEXT NOT NULL,

    CONSTRAINT "event_technique_pkey" PRIMARY KEY ("event_id","technique_id")
);

-- CreateTable
CREATE TABLE "indicator" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "type" "indicator_type" NOT NULL,
    "value" TEXT NOT NULL,
    "normalized_value" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "confidence" INTEGER,
    "tlp" "tlp" NOT NULL DEFAULT 'CLEAR',
    "description" TEXT,
    "source" TEXT,
    "internal_note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indicator_organization" (
    "indicator_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,

    CONSTRAINT "indicator_organization_pkey" PRIMARY KEY ("indicator_id","organization_id")
);

-- CreateTable
CREATE TABLE "indicator_technique" (
    "indicator_id" UUID NOT NULL,
    "technique_id" TEXT NOT NULL,

    CONSTRAINT "indicator_technique_pkey" PRIMARY KEY ("indicator_id","technique_id")
);

-- CreateTable
CREATE TABLE "sighting" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "indicator_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT,
    "note" TEXT,
    "reported_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sighting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "severity" "finding_severity" NOT NULL,
    "status" "finding_status" NOT NULL DEFAULT 'draft',
    "confidence" "confidence" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "updated_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding_event" (
    "finding_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,

    CONSTRAINT "finding_event_pkey" PRIMARY KEY ("finding_id","event_id")
);

-- CreateTable
CREATE TABLE "finding_indicator" (
    "finding_id" UUID NOT NULL,
    "indicator_id" UUID NOT NULL,

    CONSTRAINT "finding_indicator_pkey" PRIMARY KEY ("finding_id","indicator_id")
);

-- CreateTable
CREATE TABLE "finding_organization" (
    "finding_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,

    CONSTRAINT "finding_organization_pkey" PRIMARY KEY ("finding_id","organization_id")
);

-- CreateTable
CREATE TABLE "finding_technique" (
    "finding_id" UUID NOT NULL,
    "technique_id" TEXT NOT NULL,

    CONSTRAINT "finding_technique_pkey" PRIMARY KEY ("finding_id","technique_id")
);

-- CreateTable
CREATE TABLE "finding_evidence" (
    "id" UUID NOT NULL,
    "finding_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "sha256" TEXT,

    CONSTRAINT "finding_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "organization_id" UUID,
    "disabled_at" TIMESTAMPTZ(3),
    "session_version" INTEGER NOT NULL DEFAULT 1,
    "must_change_password" BOOLEAN NOT NULL DEFAULT false,
    "last_sign_in_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "read_only" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "id" UUID NOT NULL,
    "principal_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempt" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "incident_id" UUID,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "prev_hash" TEXT,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "incident_slug_key" ON "incident"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "sourced_figure_incident_id_key_key" ON "sourced_figure"("incident_id", "key");

-- CreateIndex
CREATE INDEX "affected_organization_incident_id_notification_state_idx" ON "affected_organization"("incident_id", "notification_state");

-- CreateIndex
CREATE UNIQUE INDEX "affected_organization_incident_id_name_key" ON "affected_organization"("incident_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "notification_move_timeline_event_id_key" ON "notification_move"("timeline_event_id");

-- CreateIndex
CREATE INDEX "notification_move_organization_id_at_idx" ON "notification_move"("organization_id", "at");

-- CreateIndex
CREATE INDEX "timeline_event_incident_id_occurred_at_id_idx" ON "timeline_event"("incident_id", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_incident_id_lane_occurred_at_id_idx" ON "timeline_event"("incident_id", "lane", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "timeline_event_incident_id_phase_occurred_at_id_idx" ON "timeline_event"("incident_id", "phase", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "event_alternative_event_id_idx" ON "event_alternative"("event_id");

-- CreateIndex
CREATE INDEX "event_organization_organization_id_idx" ON "event_organization"("organization_id");

-- CreateIndex
CREATE INDEX "event_indicator_indicator_id_idx" ON "event_indicator"("indicator_id");

-- CreateIndex
CREATE INDEX "event_technique_technique_id_idx" ON "event_technique"("technique_id");

-- CreateIndex
CREATE INDEX "indicator_incident_id_id_idx" ON "indicator"("incident_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "indicator_incident_id_type_normalized_value_key" ON "indicator"("incident_id", "type", "normalized_value");

-- CreateIndex
CREATE INDEX "indicator_organization_organization_id_idx" ON "indicator_organization"("organization_id");

-- CreateIndex
CREATE INDEX "sighting_indicator_id_idx" ON "sighting"("indicator_id");

-- CreateIndex
CREATE INDEX "sighting_organization_id_idx" ON "sighting"("organization_id");

-- CreateIndex
CREATE INDEX "finding_incident_id_status_idx" ON "finding"("incident_id", "status");

-- CreateIndex
CREATE INDEX "finding_evidence_finding_id_idx" ON "finding_evidence"("finding_id");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "api_token_user_id_idx" ON "api_token"("user_id");

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "idempotency_key"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_key_principal_id_key_key" ON "idempotency_key"("principal_id", "key");

-- CreateIndex
CREATE INDEX "login_attempt_email_at_idx" ON "login_attempt"("email", "at");

-- CreateIndex
CREATE INDEX "login_attempt_ip_at_idx" ON "login_attempt"("ip", "at");

-- CreateIndex
CREATE INDEX "audit_entry_incident_id_id_idx" ON "audit_entry"("incident_id", "id");

-- CreateIndex
CREATE INDEX "audit_entry_entity_type_entity_id_idx" ON "audit_entry"("entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "sourced_figure" ADD CONSTRAINT "sourced_figure_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_technique" ADD CONSTRAINT "incident_technique_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affected_organization" ADD CONSTRAINT "affected_organization_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_move" ADD CONSTRAINT "notification_move_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_move" ADD CONSTRAINT "notification_move_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_move" ADD CONSTRAINT "notification_move_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_move" ADD CONSTRAINT "notification_move_timeline_event_id_fkey" FOREIGN KEY ("timeline_event_id") REFERENCES "timeline_event"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_event" ADD CONSTRAINT "timeline_event_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_event" ADD CONSTRAINT "timeline_event_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_event" ADD CONSTRAINT "timeline_event_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_alternative" ADD CONSTRAINT "event_alternative_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_organization" ADD CONSTRAINT "event_organization_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_organization" ADD CONSTRAINT "event_organization_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_indicator" ADD CONSTRAINT "event_indicator_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_indicator" ADD CONSTRAINT "event_indicator_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_technique" ADD CONSTRAINT "event_technique_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator_organization" ADD CONSTRAINT "indicator_organization_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator_organization" ADD CONSTRAINT "indicator_organization_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicator_technique" ADD CONSTRAINT "indicator_technique_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sighting" ADD CONSTRAINT "sighting_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sighting" ADD CONSTRAINT "sighting_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sighting" ADD CONSTRAINT "sighting_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sighting" ADD CONSTRAINT "sighting_reported_by_id_fkey" FOREIGN KEY ("reported_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_event" ADD CONSTRAINT "finding_event_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_event" ADD CONSTRAINT "finding_event_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "timeline_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_indicator" ADD CONSTRAINT "finding_indicator_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_indicator" ADD CONSTRAINT "finding_indicator_indicator_id_fkey" FOREIGN KEY ("indicator_id") REFERENCES "indicator"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_organization" ADD CONSTRAINT "finding_organization_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_organization" ADD CONSTRAINT "finding_organization_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_technique" ADD CONSTRAINT "finding_technique_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_evidence" ADD CONSTRAINT "finding_evidence_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "affected_organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

